package com.cryptoml.inference.transforms.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration file's {@code monitoring:} section: how often operational metrics are published,
 * how feature and prediction drift are windowed and judged, and how a prediction's realized outcome
 * is decided.
 *
 * @param metricsInterval period of {@code inference_metrics} and {@code model_accuracy} events
 * @param driftWindowBars sliding drift window, in bars of the model's timeframe
 * @param driftPeriodBars how often the drift window slides, in bars
 * @param driftPsiThreshold population stability index above which a feature drifts
 * @param driftMinSamples fewer observations in a window give no drift verdict
 * @param outcomeReturnFeature the feature holding a bar's one-bar log return
 * @param outcomeVolatilityFeature the feature holding a bar's volatility (empty: none, the band is 0)
 * @param outcomeBand the neutral band, in volatilities times the square root of the horizon
 */
public record MonitoringConfig(Duration metricsInterval, int driftWindowBars, int driftPeriodBars, double driftPsiThreshold,
    int driftMinSamples, String outcomeReturnFeature, String outcomeVolatilityFeature, double outcomeBand)
    implements Serializable {

  public static MonitoringConfig defaults() {
    return new MonitoringConfig(Duration.ofSeconds(60), 200, 20, 0.2, 100, "ret_1", "rv_24", 0.5);
  }

  public MonitoringConfig withMetricsInterval(Duration v) {
    return new MonitoringConfig(v, driftWindowBars, driftPeriodBars, driftPsiThreshold, driftMinSamples,
        outcomeReturnFeature, outcomeVolatilityFeature, outcomeBand);
  }

  public MonitoringConfig withDriftWindowBars(int v) {
    return new MonitoringConfig(metricsInterval, v, driftPeriodBars, driftPsiThreshold, driftMinSamples,
        outcomeReturnFeature, outcomeVolatilityFeature, outcomeBand);
  }

  public MonitoringConfig withDriftPeriodBars(int v) {
    return new MonitoringConfig(metricsInterval, driftWindowBars, v, driftPsiThreshold, driftMinSamples,
        outcomeReturnFeature, outcomeVolatilityFeature, outcomeBand);
  }

  public MonitoringConfig withDriftPsiThreshold(double v) {
    return new MonitoringConfig(metricsInterval, driftWindowBars, driftPeriodBars, v, driftMinSamples,
        outcomeReturnFeature, outcomeVolatilityFeature, outcomeBand);
  }

  public MonitoringConfig withDriftMinSamples(int v) {
    return new MonitoringConfig(metricsInterval, driftWindowBars, driftPeriodBars, driftPsiThreshold, v,
        outcomeReturnFeature, outcomeVolatilityFeature, outcomeBand);
  }

  public MonitoringConfig withOutcomeReturnFeature(String v) {
    return new MonitoringConfig(metricsInterval, driftWindowBars, driftPeriodBars, driftPsiThreshold, driftMinSamples,
        v, outcomeVolatilityFeature, outcomeBand);
  }

  public MonitoringConfig withOutcomeVolatilityFeature(String v) {
    return new MonitoringConfig(metricsInterval, driftWindowBars, driftPeriodBars, driftPsiThreshold, driftMinSamples,
        outcomeReturnFeature, v, outcomeBand);
  }

  public MonitoringConfig withOutcomeBand(double v) {
    return new MonitoringConfig(metricsInterval, driftWindowBars, driftPeriodBars, driftPsiThreshold, driftMinSamples,
        outcomeReturnFeature, outcomeVolatilityFeature, v);
  }

  /** What is wrong with these settings, each naming its key; empty when they are valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (metricsInterval.isNegative() || metricsInterval.isZero()) {
      out.add("monitoring.metrics_interval must be positive");
    }
    if (driftWindowBars < 1) {
      out.add("monitoring.drift_window_bars must be >= 1, got " + driftWindowBars);
    }
    if (driftPeriodBars < 1 || driftPeriodBars > driftWindowBars) {
      out.add("monitoring.drift_period_bars must be in [1, drift_window_bars], got " + driftPeriodBars);
    }
    if (!(driftPsiThreshold > 0)) {
      out.add("monitoring.drift_psi_threshold must be > 0, got " + driftPsiThreshold);
    }
    if (driftMinSamples < 1) {
      out.add("monitoring.drift_min_samples must be >= 1, got " + driftMinSamples);
    }
    if (outcomeReturnFeature.isBlank()) {
      out.add("monitoring.outcome_return_feature must name a feature");
    }
    if (!(outcomeBand >= 0)) {
      out.add("monitoring.outcome_band must be >= 0, got " + outcomeBand);
    }
    return out;
  }
}
