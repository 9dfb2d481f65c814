package com.cryptoml.inference.testdata;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.testdata.MarketSimulator.ExchangeProfile;
import com.cryptoml.inference.testdata.MarketSimulator.SymbolProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A large 1m feature history for benchmarks (not committed): as many one-minute bars per symbol and
 * exchange as it takes to reach the requested row count, ending at {@link Generator#END}.
 */
final class LargeHistory {
  private LargeHistory() {}

  static Path write(long rows, Path dir) throws IOException {
    int keys = MarketSimulator.SYMBOLS.length * MarketSimulator.EXCHANGES.length;
    int perKey = (int) ((rows + keys - 1) / keys);
    // Outages drop a few bars: simulate 2% more minutes than needed.
    int minutes = (int) (perKey * 1.02) + Generator.FEATURE_WARMUP_BARS;
    long start = Generator.END.toEpochMilli() - minutes * MarketSimulator.MINUTE;
    List<FeatureRow> all = new ArrayList<>();
    for (SymbolProfile symbol : MarketSimulator.SYMBOLS) {
      for (ExchangeProfile exchange : MarketSimulator.EXCHANGES) {
        BarSeries bars = MarketSimulator.simulate(symbol, exchange, start, minutes);
        double[][] features = Features.compute(bars);
        for (int t = Math.max(Generator.FEATURE_WARMUP_BARS, bars.size() - perKey); t < bars.size(); t++) {
          all.add(new FeatureRow(symbol.symbol(), exchange.exchange(), Timeframe.M1, bars.closeMillis(t), features[t]));
        }
      }
    }
    all.sort(Comparator.comparingLong(FeatureRow::closeMillis).thenComparing(FeatureRow::symbol).thenComparing(FeatureRow::exchange));
    Path file = dir.resolve("features-1m-large.parquet");
    try (HistoryWriter writer = new HistoryWriter(file)) {
      for (int i = 0; i < Math.min(rows, all.size()); i++) {
        writer.write(all.get(i));
      }
    }
    return file;
  }
}
