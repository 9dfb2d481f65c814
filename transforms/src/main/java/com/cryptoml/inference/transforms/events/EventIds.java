package com.cryptoml.inference.transforms.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic event ids: RFC 4122 version-5 (SHA-1, name-based) UUIDs in a namespace of this
 * service. The same inputs give the same id on every run and replay, so consumers can drop the
 * duplicates an at-least-once delivery produces.
 */
public final class EventIds {
  /** A fixed namespace chosen once for this service; changing it would change every event id. */
  public static final UUID NAMESPACE = UUID.fromString("3b0f6a1e-6c1f-5f6e-9a2b-6d8c3e4f5a10");

  private EventIds() {}

  /** The prediction event id over (model_id, model_version, symbol, exchange, timeframe, bar time). */
  public static String prediction(String modelId, String modelVersion, String symbol, String exchange, String timeframe,
      long barMillis) {
    return nameBased(String.join("|", "prediction", modelId, modelVersion, symbol, exchange, timeframe,
        Instant.ofEpochMilli(barMillis).toString())).toString();
  }

  /** Version-5 UUID of {@code name} in {@link #NAMESPACE}. */
  public static UUID nameBased(String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
      sha1.update(ns.array());
      sha1.update(name.getBytes(StandardCharsets.UTF_8));
      byte[] h = sha1.digest();
      h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
      h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
      ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
      return new UUID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
