package com.cryptoml.inference.transforms.validate;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.values.Schemas;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.metrics.BundleMetrics;
import com.cryptoml.inference.transforms.metrics.InferenceMetrics;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.DeadLetterReason;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Checks each feature update against the configuration and the models routed to its timeframe:
 * known and enabled timeframe, configured symbol and exchange, finite numbers, a bar time neither
 * older than {@code max_feature_age} nor in the future beyond the allowed skew, and at least one of
 * the features the routed models need. Failing updates become dead letters with a reason code.
 * Duplicate bars are caught later, where the per-key history lives.
 */
public final class ValidateFeatureUpdates extends PTransform<PCollection<FeatureUpdate>, WithDeadLetters<FeatureUpdate>> {
  public static final TupleTag<FeatureUpdate> VALID = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final InferenceConfig config;
  private final ModelsView models;

  public ValidateFeatureUpdates(InferenceConfig config, ModelsView models) {
    this.config = config;
    this.models = models;
  }

  @Override
  public WithDeadLetters<FeatureUpdate> expand(PCollection<FeatureUpdate> input) {
    PCollectionTuple out = input.apply("Validate",
        ParDo.of(new ValidateFn(config, models)).withSideInputs(models.view()).withOutputTags(VALID, TupleTagList.of(DEAD_LETTERS)));
    return WithDeadLetters.of(VALID, out.get(VALID).setCoder(Schemas.coder(input.getPipeline(), FeatureUpdate.class)), DEAD_LETTERS,
        out.get(DEAD_LETTERS));
  }

  /** The checks, usable without a pipeline. */
  public static Optional<DeadLetter> check(FeatureUpdate u, InferenceConfig config, ActiveModels active) {
    Optional<Timeframe> tf = Timeframe.fromCode(u.getTimeframe());
    if (tf.isEmpty() || !config.enabledTimeframes().contains(tf.get())) {
      return fail(DeadLetterReason.UNKNOWN_TIMEFRAME, tf.isEmpty()
          ? "timeframe '" + u.getTimeframe() + "' is not one of 1m, 5m, 15m, 1h, 4h, 1d"
          : "timeframe " + u.getTimeframe() + " is not enabled (enabled_timeframes: " + config.enabledTimeframes() + ")", u);
    }
    if (!config.symbols().isEmpty() && !config.symbols().contains(u.getSymbol())) {
      return fail(DeadLetterReason.UNKNOWN_SYMBOL, "symbol " + abbreviate(u.getSymbol()) + " is not configured", u);
    }
    if (!config.exchanges().isEmpty() && !config.exchanges().contains(u.getExchange())) {
      return fail(DeadLetterReason.UNKNOWN_EXCHANGE, "exchange " + abbreviate(u.getExchange()) + " is not configured", u);
    }
    for (Map.Entry<String, Double> f : u.getFeatures().entrySet()) {
      if (!Double.isFinite(f.getValue())) {
        return fail(DeadLetterReason.NON_FINITE_VALUE, "feature " + abbreviate(f.getKey()) + " is " + f.getValue(), u);
      }
    }
    if (config.options().getReferenceClock().enabled()) {
      long now = config.options().getReferenceClock().nowMillis();
      long bar = u.getTimestamp().getMillis();
      if (bar < now - config.options().getMaxFeatureAge().toMillis()) {
        return fail(DeadLetterReason.STALE_TIMESTAMP, "bar time " + u.getTimestamp() + " is older than max_feature_age "
            + config.options().getMaxFeatureAge() + " (now " + new org.joda.time.Instant(now) + ")", u);
      }
      if (bar > now + config.options().getFutureSkew().toMillis()) {
        return fail(DeadLetterReason.FUTURE_TIMESTAMP, "bar time " + u.getTimestamp() + " is more than "
            + config.options().getFutureSkew() + " in the future (now " + new org.joda.time.Instant(now) + ")", u);
      }
    }
    if (u.getFeatures().isEmpty()) {
      return fail(DeadLetterReason.EMPTY_FEATURES, "the bar carries no feature values", u);
    }
    Set<String> required = active.requiredFeatures(tf.get());
    if (!required.isEmpty() && required.stream().noneMatch(u.getFeatures()::containsKey)) {
      return fail(DeadLetterReason.MISSING_REQUIRED_FEATURES, "none of the features the " + tf.get()
          + " models need " + required + " is present", u);
    }
    return Optional.empty();
  }

  private static Optional<DeadLetter> fail(DeadLetterReason reason, String detail, FeatureUpdate u) {
    return Optional.of(DeadLetter.of(reason, detail, u, null));
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  static final class ValidateFn extends DoFn<FeatureUpdate, FeatureUpdate> {
    private final InferenceConfig config;
    private final ModelsView models;

    /** Counted per bundle: a metric for every element. */
    private transient BundleMetrics metrics;

    ValidateFn(InferenceConfig config, ModelsView models) {
      this.config = config;
      this.models = models;
    }

    @StartBundle
    public void startBundle() {
      metrics = new BundleMetrics();
    }

    @ProcessElement
    public void process(@Element FeatureUpdate u, MultiOutputReceiver out, ProcessContext c) {
      Optional<DeadLetter> dead = check(u, config, models.read(c));
      if (dead.isPresent()) {
        metrics.inc(InferenceMetrics.DEAD_LETTERS + dead.get().getReason());
        out.get(DEAD_LETTERS).output(dead.get());
      } else {
        metrics.inc(InferenceMetrics.FEATURE_EVENTS_IN + u.getTimeframe());
        out.get(VALID).output(u);
      }
    }

    @FinishBundle
    public void finishBundle() {
      metrics.flush();
    }
  }
}
