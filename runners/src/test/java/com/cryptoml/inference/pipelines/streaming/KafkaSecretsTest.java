package com.cryptoml.inference.pipelines.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.pipelines.kafka.KafkaTestClient;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka SSL and SASL settings come from a properties file whose secrets are references to files or
 * environment variables. A stream runs with them on the real broker (the protocol stays PLAINTEXT so
 * the local broker accepts it; the clients still parse and log every setting), and nothing written to
 * standard output or error during the run, the Kafka clients' configuration dumps included, contains a
 * secret.
 */
class KafkaSecretsTest {
  private static final String TRUSTSTORE_SECRET = "tr0ub4dor-truststore-" + System.nanoTime();
  private static final String SASL_SECRET = "c0rrect-h0rse-sasl-" + System.nanoTime();

  /** Everything written to System.out and System.err while it is open, still passed through. */
  static final class Capture implements AutoCloseable {
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    Capture() {
      System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
    }

    private OutputStream tee(PrintStream original) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          original.write(b);
          synchronized (seen) {
            seen.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          original.write(b, off, len);
          synchronized (seen) {
            seen.write(b, off, len);
          }
        }
      };
    }

    String text() {
      synchronized (seen) {
        return seen.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void secretsReachTheClientsButNeverTheLogs(@TempDir Path work) throws Exception {
    Path truststoreSecret = work.resolve("truststore.password");
    Path saslSecret = work.resolve("sasl.password");
    Files.writeString(truststoreSecret, TRUSTSTORE_SECRET + "\n");
    Files.writeString(saslSecret, SASL_SECRET);
    Path props = work.resolve("kafka-client.properties");
    Files.writeString(props, String.join("\n",
        "security.protocol=PLAINTEXT",
        "ssl.truststore.type=PKCS12",
        "ssl.truststore.password=${file:" + truststoreSecret + "}",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc-inference\" "
            + "password=\"${file:" + saslSecret + "}\";"));

    Map<String, Object> resolved = KafkaSecurity.load(props.toString());
    assertEquals(TRUSTSTORE_SECRET, resolved.get("ssl.truststore.password"), "file references resolve, trimmed");
    assertTrue(resolved.get("sasl.jaas.config").toString().contains("password=\"" + SASL_SECRET + "\""));
    String redacted = KafkaSecurity.redacted(resolved).toString();
    assertFalse(redacted.contains(TRUSTSTORE_SECRET) || redacted.contains(SASL_SECRET), redacted);

    String log;
    try (Capture capture = new Capture();
        StreamingHarness h = new StreamingHarness("secrets", work, "1h=momentum-v1-1h", "--kafkaPropertiesFile=" + props);
        KafkaTestClient kafka = new KafkaTestClient(h.broker.bootstrapServers())) {
      h.start();
      List<FeatureUpdate> bars = StreamingHarness.bars("ETHUSDT", "OKX", 5);
      for (FeatureUpdate bar : bars) {
        kafka.send(h.topic("features.1h"), StreamingHarness.key(bar), StreamingHarness.json(bar));
      }
      kafka.readUntil(h.topic("predictions"), rs -> rs.size() >= 5, Duration.ofSeconds(90));
      log = capture.text();
    }
    assertTrue(log.contains("sasl.jaas.config = [hidden]") && log.contains("ssl.truststore.password = [hidden]"),
        "the clients were configured with the settings (their config dumps hide them)");
    assertFalse(log.contains(TRUSTSTORE_SECRET), "truststore password in the logs");
    assertFalse(log.contains(SASL_SECRET), "SASL password in the logs");
  }

  @Test
  void aLiteralSecretIsRefusedWithoutBeingShown(@TempDir Path work) throws Exception {
    Path props = work.resolve("kafka-client.properties");
    Files.writeString(props, "security.protocol=SASL_SSL\nssl.keystore.password=" + SASL_SECRET + "\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.load(props.toString()));
    assertTrue(e.getMessage().contains("ssl.keystore.password") && e.getMessage().contains("${env:NAME}"), e.getMessage());
    assertFalse(e.getMessage().contains(SASL_SECRET), e.getMessage());
  }

  @Test
  void aMissingSecretFailsNamingTheReferenceOnly(@TempDir Path work) throws Exception {
    Path props = work.resolve("kafka-client.properties");
    Files.writeString(props, "ssl.key.password=${env:INFERENCE_TEST_UNSET_VARIABLE}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.load(props.toString()));
    assertTrue(e.getMessage().contains("INFERENCE_TEST_UNSET_VARIABLE"), e.getMessage());
  }
}
