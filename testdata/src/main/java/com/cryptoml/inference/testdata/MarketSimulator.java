package com.cryptoml.inference.testdata;

import java.util.SplittableRandom;

/**
 * Simulates plausible one-minute OHLCV bars: regime-switching volatility with clustering, trend
 * regimes, weak short-term momentum (so models have something to learn), rare jumps, intraday
 * volume seasonality, and per-exchange basis noise, volume scale and outages (gaps).
 *
 * <p>Deterministic: the symbol's seed drives the common price path, the exchange's seed its basis,
 * volume and outages. The same arguments always give the same bars.
 */
public final class MarketSimulator {
  static final long MINUTE = 60_000L;

  /** A symbol's starting price and per-minute volatility. */
  public record SymbolProfile(String symbol, double startPrice, double minuteVol, double baseVolume, long seed) {}

  /** An exchange's share of volume, basis noise and outage rate. */
  public record ExchangeProfile(String exchange, double volumeScale, double basisVol, double outagesPerDay, long seed) {}

  public static final SymbolProfile[] SYMBOLS = {
    new SymbolProfile("BTCUSDT", 42_000, 0.0005, 55, 11),
    new SymbolProfile("ETHUSDT", 2_300, 0.00065, 900, 23),
    new SymbolProfile("SOLUSDT", 100, 0.0009, 16_000, 37),
  };

  public static final ExchangeProfile[] EXCHANGES = {
    new ExchangeProfile("BINANCE", 1.0, 0.00015, 0.3, 101),
    new ExchangeProfile("BYBIT", 0.45, 0.00025, 0.6, 203),
    new ExchangeProfile("OKX", 0.35, 0.0003, 1.0, 307),
  };

  private MarketSimulator() {}

  /** One-minute bars closing at startMillis + MINUTE, ..., startMillis + minutes * MINUTE, minus outages. */
  public static BarSeries simulate(SymbolProfile symbol, ExchangeProfile exchange, long startMillis, int minutes) {
    SplittableRandom market = new SplittableRandom(symbol.seed());
    SplittableRandom venue = new SplittableRandom(symbol.seed() * 1_000_003L + exchange.seed());
    BarSeries bars = new BarSeries(minutes);

    double logPrice = Math.log(symbol.startPrice());
    double basis = 0;
    double regime = 1.0; // volatility multiplier: calm ~0.7, normal 1, turbulent ~1.9
    double cluster = 1.0; // short-term clustering factor
    double drift = 0;
    double lastReturn = 0;
    int outageLeft = 0;
    double outageProbability = exchange.outagesPerDay() / 1440.0;

    for (int t = 0; t < minutes; t++) {
      // Regimes switch rarely; trends last about two days.
      if (market.nextDouble() < 1.0 / 4000) {
        double u = market.nextDouble();
        regime = u < 0.35 ? 0.7 : u < 0.8 ? 1.0 : 1.9;
      }
      if (market.nextDouble() < 1.0 / 2880) {
        double u = market.nextDouble();
        drift = u < 0.3 ? -0.015 : u < 0.7 ? 0.0 : 0.015;
      }
      double sigma = symbol.minuteVol() * regime * cluster;
      double shock = gaussian(market);
      double jump = market.nextDouble() < 1.0 / 25_000 ? (market.nextBoolean() ? 1 : -1) * 8 * sigma : 0;
      double r = 0.06 * lastReturn + drift * sigma + sigma * shock + jump;
      lastReturn = r;
      cluster = 0.97 * cluster + 0.03 * (0.6 + 0.55 * Math.abs(shock));

      double open = logPrice;
      logPrice += r;
      // Intrabar extremes: a Brownian bridge's typical excursion beyond open/close.
      double range = Math.abs(gaussian(market)) * sigma * 0.6;
      double hi = Math.max(open, logPrice) + range * market.nextDouble();
      double lo = Math.min(open, logPrice) - range * market.nextDouble();

      basis = 0.995 * basis + exchange.basisVol() * 0.1 * gaussian(venue);
      long hourOfDay = ((startMillis / MINUTE + t) / 60) % 24;
      double seasonal = 1.0 + 0.45 * Math.cos((hourOfDay - 14) / 24.0 * 2 * Math.PI);
      double volume = symbol.baseVolume() * exchange.volumeScale() * seasonal
          * (1 + 2.5 * Math.abs(r) / symbol.minuteVol()) * Math.exp(0.35 * gaussian(venue));

      if (outageLeft > 0) {
        outageLeft--;
        continue;
      }
      if (venue.nextDouble() < outageProbability) {
        outageLeft = 15 + venue.nextInt(90);
        continue;
      }
      bars.add(startMillis + (t + 1) * MINUTE, Math.exp(open + basis), Math.exp(hi + basis),
          Math.exp(lo + basis), Math.exp(logPrice + basis), volume);
    }
    return bars;
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller: deterministic given the generator, unlike ThreadLocalRandom.
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
