package com.cryptoml.inference.transforms.validate;

import com.cryptoml.inference.transforms.ConfigBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.TestData;
import com.cryptoml.inference.transforms.WithDeadLetters;
import com.cryptoml.inference.transforms.config.InferenceConfig;
import com.cryptoml.inference.transforms.config.ReferenceClock;
import com.cryptoml.inference.transforms.models.ActiveModels;
import com.cryptoml.inference.transforms.models.ModelsView;
import com.cryptoml.inference.transforms.values.DeadLetter;
import com.cryptoml.inference.transforms.values.FeatureUpdate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(TestPipelineExtension.class)
class ValidateFeatureUpdatesTest {
  static final java.time.Instant NOW = java.time.Instant.parse("2024-03-21T10:00:30Z");
  static InferenceConfig config;
  static ActiveModels active;

  @BeforeAll
  static void setUp() {
    config = TestData.config()
        .referenceClock(ReferenceClock.fixed(NOW))
        .maxFeatureAge(Duration.ofDays(7))
        .futureSkew(Duration.ofSeconds(30))
        .symbols(Set.of("BTCUSDT", "ETHUSDT"))
        .exchanges(Set.of("BINANCE", "OKX"))
        .enabledTimeframes(EnumSet.of(Timeframe.H1, Timeframe.M5))
        .build();
    active = TestData.resolve(config);
  }

  static FeatureUpdate good() {
    return FeatureUpdate.builder().setEventId("e").setTimestamp(Instant.parse("2024-03-21T10:00:00Z"))
        .setSymbol("BTCUSDT").setExchange("BINANCE").setTimeframe("1h").setFeatureSetVersion("1.0.0")
        .setFeatures(Map.of("ret_1", 0.001, "rsi_14", 50.0)).setSource("test").setPayload("{}").build();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("unknown_timeframe", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setTimeframe("2h").build()),
        Arguments.of("unknown_timeframe", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setTimeframe("1d").build()),
        Arguments.of("unknown_symbol", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setSymbol("DOGEUSDT").build()),
        Arguments.of("unknown_exchange", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setExchange("KRAKEN").build()),
        Arguments.of("non_finite_value", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setFeatures(Map.of("ret_1", Double.NaN)).build()),
        Arguments.of("non_finite_value", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setFeatures(Map.of("ret_1", Double.POSITIVE_INFINITY)).build()),
        Arguments.of("stale_timestamp", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setTimestamp(Instant.parse("2024-03-14T09:00:00Z")).build()),
        Arguments.of("future_timestamp", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setTimestamp(Instant.parse("2024-03-21T10:02:00Z")).build()),
        Arguments.of("empty_features", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setFeatures(Map.of()).build()),
        Arguments.of("missing_required_features", (UnaryOperator<FeatureUpdate>) u -> u.toBuilder().setFeatures(Map.of("unrelated", 1.0)).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void eachRuleHasItsReason(String reason, UnaryOperator<FeatureUpdate> corrupt) {
    FeatureUpdate bad = corrupt.apply(good());
    Optional<DeadLetter> d = ValidateFeatureUpdates.check(bad, config, active);
    assertTrue(d.isPresent(), reason);
    assertEquals(reason, d.get().getReason());
    assertEquals("validate", d.get().getStage());
    assertEquals("{}", d.get().getPayload());
    assertEquals(bad.getSymbol(), d.get().getSymbol());
  }

  @Test
  void theGoodUpdateAndOnesWithinTheLimitsPass() {
    assertTrue(ValidateFeatureUpdates.check(good(), config, active).isEmpty());
    FeatureUpdate edge = good().toBuilder().setTimestamp(Instant.parse("2024-03-21T10:01:00Z")).build();
    assertTrue(ValidateFeatureUpdates.check(edge, config, active).isEmpty(), "30 s skew allowed");
    FeatureUpdate partial = good().toBuilder().setFeatures(Map.of("rsi_14", 50.0)).build();
    assertTrue(ValidateFeatureUpdates.check(partial, config, active).isEmpty(), "missing values are imputed later");
  }

  @Test
  void inAPipelineGoodAndBadAreSplitWithNothingLost(TestPipeline p) {
    ModelsView view = ModelsView.of(p.apply("Models", Create.of(active)).apply(View.asSingleton()));
    FeatureUpdate other = good().toBuilder().setEventId("e2").setSymbol("ETHUSDT").build();
    FeatureUpdate bad = good().toBuilder().setEventId("e3").setSymbol("XRPUSDT").build();
    WithDeadLetters<FeatureUpdate> out = p.apply(Create.of(good(), other, bad).withCoder(schemaCoder(p)))
        .apply(new ValidateFeatureUpdates(config, view));
    PAssert.that(out.output().apply("Ids", MapElements.into(TypeDescriptors.strings()).via(FeatureUpdate::getEventId)))
        .containsInAnyOrder("e", "e2");
    PAssert.that(out.deadLetters().apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::getReason)))
        .containsInAnyOrder("unknown_symbol");
    p.run().waitUntilFinish();
  }

  static org.apache.beam.sdk.coders.Coder<FeatureUpdate> schemaCoder(TestPipeline p) {
    try {
      return p.getSchemaRegistry().getSchemaCoder(FeatureUpdate.class);
    } catch (org.apache.beam.sdk.schemas.NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }
}
