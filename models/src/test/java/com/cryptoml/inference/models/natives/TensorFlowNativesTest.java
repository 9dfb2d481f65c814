package com.cryptoml.inference.models.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TensorFlowNativesTest {
  @Test
  void extractsOnceAndAnnouncesTheDirectoryToDjl() {
    Path dir = TensorFlowNatives.install();
    assertTrue(Files.isRegularFile(dir.resolve("libjnitensorflow.so")));
    assertTrue(Files.isRegularFile(dir.resolve("libtensorflow_cc.so.2")));
    assertTrue(Files.exists(dir.resolve(".complete")));
    assertEquals(dir.toString(), System.getProperty("TENSORFLOW_LIBRARY_PATH"));
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals(dir, TensorFlowNatives.install());
    assertEquals("2.10.1", Engine.getEngine("TensorFlow").getVersion());
  }
}
