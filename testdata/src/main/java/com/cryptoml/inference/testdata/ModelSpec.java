package com.cryptoml.inference.testdata;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.models.metadata.Timeframe;
import java.util.List;

/**
 * One registered model version the generator trains.
 *
 * @param hidden hidden ReLU units; 0 = softmax (or logistic) regression
 * @param scalar single sigmoid output with thresholds instead of three class probabilities
 * @param signatureKey serving signature, when not {@code serving_default}
 */
record ModelSpec(
    String name,
    int version,
    String versionLabel,
    List<String> aliases,
    ModelType type,
    Timeframe timeframe,
    List<String> features,
    int lookback,
    int horizon,
    int hidden,
    boolean scalar,
    String signatureKey,
    long seed) {

  static final List<String> SWING = List.of("ret_1", "ret_4", "rv_24", "rsi_14", "dist_high_24", "dist_low_24");
  static final List<String> MOMENTUM = List.of("ret_1", "ret_4", "ret_12", "rv_24", "rsi_14", "vol_z_24");

  /** What the committed registry holds; see testdata/README.md. */
  static List<ModelSpec> catalog() {
    return List.of(
        new ModelSpec("swing-high-v1-1h", 1, "1.0.0", List.of("champion"), ModelType.SWING_POINTS, Timeframe.H1,
            SWING, 1, 6, 0, false, null, 1),
        new ModelSpec("swing-high-v1-1h", 2, "1.1.0", List.of("challenger"), ModelType.SWING_POINTS, Timeframe.H1,
            SWING, 1, 6, 12, false, null, 2),
        new ModelSpec("swing-high-v2-1h", 1, "2.0.0", List.of("champion"), ModelType.SWING_POINTS, Timeframe.H1,
            Features.NAMES, 3, 6, 16, false, null, 3),
        new ModelSpec("swing-high-v1-4h", 1, "1.0.0", List.of("champion"), ModelType.SWING_POINTS, Timeframe.H4,
            SWING, 1, 6, 0, false, null, 4),
        new ModelSpec("momentum-v1-1m", 1, "1.0.0", List.of("champion"), ModelType.DIRECTIONAL, Timeframe.M1,
            MOMENTUM, 1, 5, 0, false, null, 5),
        new ModelSpec("momentum-v1-1h", 1, "1.0.0", List.of("champion"), ModelType.DIRECTIONAL, Timeframe.H1,
            MOMENTUM, 1, 4, 0, false, null, 6),
        new ModelSpec("momentum-v1-4h", 1, "1.0.0", List.of("champion"), ModelType.DIRECTIONAL, Timeframe.H4,
            MOMENTUM, 1, 3, 0, false, null, 7),
        new ModelSpec("momentum-v1-1d", 1, "1.0.0", List.of("champion"), ModelType.DIRECTIONAL, Timeframe.D1,
            MOMENTUM, 1, 2, 0, false, null, 8),
        new ModelSpec("volatility-v1-15m", 1, "1.0.0", List.of("champion"), ModelType.VOLATILITY, Timeframe.M15,
            List.of("rv_24", "atr_14", "ret_1", "ret_4", "vol_z_24"), 1, 8, 0, true, null, 9),
        new ModelSpec("pattern-v1-5m", 1, "1.0.0", List.of("champion"), ModelType.PATTERN_COMPLETION, Timeframe.M5,
            List.of("ret_1", "vol_z_24", "rsi_14", "dist_high_24"), 8, 6, 16, false, "predict", 10));
  }

  /** Deterministic MLflow run id (32 hex characters). */
  String runId() {
    return String.format("%016x%016x", (name.hashCode() & 0xffffffffL) * 0x9E3779B97F4A7C15L, seed * 0xC2B2AE3D27D4EB4FL + version);
  }
}
