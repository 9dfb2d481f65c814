package com.cryptoml.inference.transforms.coders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PackedTest {
  @Test
  void valuesComeBackInOrderAndEachValueDelimitsItself() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Packed.Writer first = new Packed.Writer(16); // grows past its first buffer
    first.putLong(Long.MIN_VALUE).putDouble(Double.NaN).putDouble(-0.25).putInt(-7).putBoolean(true).putBoolean(false)
        .putString(null).putString("").putString("BTCUSDT|€|1h");
    for (int i = 0; i < 100; i++) {
      first.putDouble(i * 1.5);
    }
    first.writeTo(bytes);
    new Packed.Writer().putString("second").writeTo(bytes);

    InputStream in = new ByteArrayInputStream(bytes.toByteArray());
    Packed.Reader r = Packed.Reader.readFrom(in);
    assertEquals(Long.MIN_VALUE, r.getLong());
    assertTrue(Double.isNaN(r.getDouble()));
    assertEquals(-0.25, r.getDouble());
    assertEquals(-7, r.getInt());
    assertTrue(r.getBoolean());
    assertFalse(r.getBoolean());
    assertNull(r.getString());
    assertEquals("", r.getString());
    assertEquals("BTCUSDT|€|1h", r.getString());
    for (int i = 0; i < 100; i++) {
      assertEquals(i * 1.5, r.getDouble());
    }
    assertEquals("second", Packed.Reader.readFrom(in).getString(), "the next value starts where the first ends");
    assertEquals(-1, in.read());
  }
}
