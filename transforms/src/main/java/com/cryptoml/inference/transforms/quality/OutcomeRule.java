package com.cryptoml.inference.transforms.quality;

import com.cryptoml.inference.models.metadata.ModelType;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import java.util.function.LongFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * What a prediction should have been, from the bars over its horizon: the realized return is the sum
 * of the next {@code horizon} bars' one-bar log returns; long (1) above {@code outcome_band} x the
 * predicted bar's volatility x sqrt(horizon), short (-1) below minus that, neutral (0) between.
 * Volatility models predict expansion: 1 when the horizon's realized volatility (root mean square of
 * the returns) exceeds the predicted bar's volatility, else 0.
 */
final class OutcomeRule {
  private OutcomeRule() {}

  /**
   * The outcome of {@code p}, or null while a return of its horizon (or, for a volatility model, the
   * predicted bar's volatility) is missing.
   */
  static @Nullable Outcome resolve(OutcomePart p, int horizon, long barMillis, LongFunction<Double> returnAt, @Nullable Double vol,
      InferenceConfig config, String symbol, String exchange, String timeframe) {
    double sum = 0;
    double squares = 0;
    for (int k = 1; k <= horizon; k++) {
      Double r = returnAt.apply(p.target + k * barMillis);
      if (r == null) {
        return null;
      }
      sum += r;
      squares += r * r;
    }
    boolean volatilityModel = ModelType.VOLATILITY.code().equals(p.modelType);
    if (volatilityModel && vol == null) {
      return null;
    }
    int realized;
    if (volatilityModel) {
      realized = Math.sqrt(squares / horizon) > vol ? 1 : 0;
    } else {
      double band = vol == null ? 0 : config.options().getOutcomeBand() * vol * Math.sqrt(horizon);
      realized = sum > band ? 1 : sum < -band ? -1 : 0;
    }
    Double brier = Double.isNaN(p.pShort) || Double.isNaN(p.pNeutral) || Double.isNaN(p.pLong) ? null
        : sq(p.pShort - (realized == -1 ? 1 : 0)) + sq(p.pNeutral - (realized == 0 ? 1 : 0)) + sq(p.pLong - (realized == 1 ? 1 : 0));
    return Outcome.builder().setModelId(p.modelId).setModelVersion(p.modelVersion).setRegistryVersion(p.registryVersion)
        .setModelType(p.modelType).setSymbol(symbol).setExchange(exchange).setTimeframe(timeframe)
        .setFeatureTimestamp(new Instant(p.target)).setHorizonBars(horizon).setPrediction(p.prediction)
        .setConfidence(p.confidence).setBrier(brier).setRealizedReturn(sum).setRealized(realized).build();
  }

  private static double sq(double x) {
    return x * x;
  }
}
