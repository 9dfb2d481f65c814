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
  /**
   * Several row groups, as feature stores write them (DuckDB: 122,880 rows each): 8 MB buffered gives
   * about 75,000 rows per group here.
   */
  static final long ROW_GROUP_BYTES = 8L << 20;

  private LargeHistory() {}

  static Path write(long rows, Path dir) throws IOException {
    int keys = MarketSimulator.SYMBOLS.length * MarketSimulator.EXCHANGES.length;
    int perKey = (int) ((rows + keys - 1) / keys);
    List<FeatureRow> all = new ArrayList<>();
    // Outages drop bars: simulate a little more than needed, and more again until there are enough rows.
    for (double extra = 1.02; all.size() < rows; extra += 0.02) {
      all.clear();
      int minutes = (int) (perKey * extra) + Generator.FEATURE_WARMUP_BARS;
      long start = Generator.END.toEpochMilli() - minutes * MarketSimulator.MINUTE;
      for (SymbolProfile symbol : MarketSimulator.SYMBOLS) {
        for (ExchangeProfile exchange : MarketSimulator.EXCHANGES) {
          BarSeries bars = MarketSimulator.simulate(symbol, exchange, start, minutes);
          double[][] features = Features.compute(bars);
          for (int t = Generator.FEATURE_WARMUP_BARS; t < bars.size(); t++) {
            all.add(new FeatureRow(symbol.symbol(), exchange.exchange(), Timeframe.M1, bars.closeMillis(t), features[t]));
          }
        }
      }
    }
    all.sort(Comparator.comparingLong(FeatureRow::closeMillis).thenComparing(FeatureRow::symbol).thenComparing(FeatureRow::exchange));
    Path file = dir.resolve("features-1m-large.parquet");
    try (HistoryWriter writer = new HistoryWriter(file, ROW_GROUP_BYTES)) {
      for (int i = (int) (all.size() - rows); i < all.size(); i++) { // the newest rows: every key up to END
        writer.write(all.get(i));
      }
    }
    return file;
  }
}
