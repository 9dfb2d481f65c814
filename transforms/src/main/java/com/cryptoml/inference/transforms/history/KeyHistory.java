package com.cryptoml.inference.transforms.history;

import com.cryptoml.inference.models.metadata.Timeframe;
import com.cryptoml.inference.transforms.coders.Packed;
import com.cryptoml.inference.transforms.coders.PackedCoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The recent bars of one symbol, exchange and timeframe, in event-time order, plus what the
 * watermark is known to have passed. Feature values are kept in a small dictionary-indexed table
 * (NaN = missing) so a bar costs a few doubles, not a map.
 *
 * <p>A bar is pending until every bar its predictions depend on has arrived or is known to be
 * missing; then it is done. Pending bars keep their source and payload for dead letters.
 *
 * <p>The columns are a gap buffer: bar {@code i} is at index {@code i} before the gap and
 * {@code i + gapLength} after it, and an insert moves the gap to its place. A backfill keeps every bar
 * of a key until its watermark moves at the end, and its row groups arrive interleaved: shifting
 * every newer bar for each older one inserted costs the whole history per insert, while moving the
 * gap costs only the distance between consecutive inserts. In order, the gap stays at the
 * end and an insert is an append.
 */
public final class KeyHistory {
  private final String symbol;
  private final String exchange;
  private final Timeframe timeframe;
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> nameIndex = new HashMap<>();
  private long[] times = new long[8];
  private long[] arrivals = new long[8];
  private double[][] values = new double[8][];
  private boolean[] done = new boolean[8];
  private String[] sources = new String[8];
  private String[] payloads = new String[8];
  private int size;
  /** Where the gap starts (a bar index) and how many free slots it holds. */
  private int gapStart;
  private int gapLength = 8;
  /** Bars copied within the columns so far (not coded): what inserts and evictions cost. */
  private long rowsMoved;
  // Times of the pending bars: a backfill keeps every bar of a key (its watermark only moves at the
  // end), so walking the whole history per element to find the few pending ones would be quadratic.
  private final TreeSet<Long> pendingTimes = new TreeSet<>();
  private long resolvedUpTo = Long.MIN_VALUE;
  private long newestSeen = Long.MIN_VALUE;
  private long pendingTimerAt = Long.MIN_VALUE;
  private long maintenanceAt = Long.MIN_VALUE;
  private List<RoutedModel> routes = List.of();

  public KeyHistory(String symbol, String exchange, Timeframe timeframe) {
    this.symbol = symbol;
    this.exchange = exchange;
    this.timeframe = timeframe;
  }

  public String symbol() {
    return symbol;
  }

  public String exchange() {
    return exchange;
  }

  public Timeframe timeframe() {
    return timeframe;
  }

  public int size() {
    return size;
  }

  /** Where bar {@code i} is in the columns. */
  private int slot(int i) {
    return i < gapStart ? i : i + gapLength;
  }

  public long time(int i) {
    return times[slot(i)];
  }

  /** Wall-clock time the bar reached the history (arrival-to-publish latency starts here). */
  public long arrival(int i) {
    return arrivals[slot(i)];
  }

  public boolean isDone(int i) {
    return done[slot(i)];
  }

  public void markDone(int i) {
    int s = slot(i);
    if (!done[s]) {
      pendingTimes.remove(times[s]);
    }
    done[s] = true;
    sources[s] = null;
    payloads[s] = null;
  }

  public String source(int i) {
    return sources[slot(i)];
  }

  public String payload(int i) {
    return payloads[slot(i)];
  }

  /** The latest time the input watermark is known to have passed (from fired timers). */
  public long resolvedUpTo() {
    return resolvedUpTo;
  }

  public void advanceResolvedUpTo(long watermark) {
    resolvedUpTo = Math.max(resolvedUpTo, watermark);
  }

  public List<RoutedModel> routes() {
    return routes;
  }

  public void setRoutes(List<RoutedModel> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Index of the bar closing at {@code time}, or -1. */
  public int indexOf(long time) {
    int pos = search(time);
    return pos >= 0 ? pos : -1;
  }

  /** {@link Arrays#binarySearch} over the bars' times, in bar indices, either side of the gap. */
  private int search(long time) {
    if (gapStart > 0 && time <= times[gapStart - 1]) {
      return Arrays.binarySearch(times, 0, gapStart, time);
    }
    int after = gapStart + gapLength;
    int pos = Arrays.binarySearch(times, after, size + gapLength, time);
    return pos >= 0 ? pos - gapLength : pos + gapLength;
  }

  /** When the pending timer is set to fire (MIN_VALUE: not set); saves re-setting it per element. */
  public long pendingTimerAt() {
    return pendingTimerAt;
  }

  public void setPendingTimerAt(long t) {
    pendingTimerAt = t;
  }

  /** When the maintenance timer is set to fire (MIN_VALUE: not set). */
  public long maintenanceAt() {
    return maintenanceAt;
  }

  public void setMaintenanceAt(long t) {
    maintenanceAt = t;
  }

  /** The latest bar time ever inserted (bars may since have been evicted). */
  public long newestSeen() {
    return newestSeen;
  }

  /** Dictionary index of a feature, or -1 when no bar ever carried it. */
  public int featureIndex(String name) {
    Integer i = nameIndex.get(name);
    return i == null ? -1 : i;
  }

  /** Value of feature {@code feature} (dictionary index) in bar {@code i}, NaN when missing. */
  public double value(int i, int feature) {
    double[] row = values[slot(i)];
    return feature < 0 || feature >= row.length ? Double.NaN : row[feature];
  }

  /** Inserts a pending bar in time order; the caller has checked it is not a duplicate. */
  public int insert(long time, long arrival, Map<String, Double> features, String source, String payload) {
    for (String name : features.keySet()) {
      if (!nameIndex.containsKey(name)) {
        nameIndex.put(name, names.size());
        names.add(name);
      }
    }
    double[] row = new double[names.size()];
    Arrays.fill(row, Double.NaN);
    features.forEach((name, v) -> row[nameIndex.get(name)] = v);
    int pos = -search(time) - 1;
    if (pos < 0) {
      throw new IllegalStateException("duplicate bar " + time);
    }
    if (gapLength == 0) {
      grow(size + 1);
    }
    moveGapTo(pos);
    gapStart++;
    gapLength--;
    times[pos] = time;
    arrivals[pos] = arrival;
    newestSeen = Math.max(newestSeen, time);
    values[pos] = row;
    done[pos] = false;
    pendingTimes.add(time);
    sources[pos] = source;
    payloads[pos] = payload;
    size++;
    return pos;
  }

  /** Drops done bars older than {@code before}; pending bars are never dropped. Returns how many. */
  public int evictDoneBefore(long before) {
    // Bars are in time order, so only the prefix older than `before` can go; per element that prefix
    // is usually empty, and walking the whole history each time made a backlog quadratic.
    if (size == 0 || time(0) >= before) {
      return 0;
    }
    moveGapTo(size); // in order it is there already
    int end = Arrays.binarySearch(times, 0, size, before);
    end = end >= 0 ? end : -end - 1;
    int keep = 0;
    for (int i = 0; i < end; i++) {
      if (!done[i]) {
        copyRows(i, keep++, 1);
      }
    }
    int evicted = end - keep;
    if (evicted == 0) {
      return 0;
    }
    copyRows(end, keep, size - end);
    int newSize = size - evicted;
    clearSlots(newSize, size);
    gapStart = newSize;
    gapLength += evicted;
    size = newSize;
    return evicted;
  }

  /** Moves the gap to start at bar {@code pos}, and forgets what the slots it now covers held. */
  private void moveGapTo(int pos) {
    if (pos < gapStart) {
      copyRows(pos, pos + gapLength, gapStart - pos);
      clearSlots(pos, Math.min(gapStart, pos + gapLength));
    } else if (pos > gapStart) {
      copyRows(gapStart + gapLength, gapStart, pos - gapStart);
      clearSlots(Math.max(pos, gapStart + gapLength), pos + gapLength);
    }
    gapStart = pos;
  }

  /** Drops the references slots {@code from} to {@code to} held, so the gap keeps no bar alive. */
  private void clearSlots(int from, int to) {
    Arrays.fill(values, from, to, null);
    Arrays.fill(sources, from, to, null);
    Arrays.fill(payloads, from, to, null);
  }

  /** Copies {@code count} bars, every column, from index {@code from} to {@code to} (ranges may overlap). */
  private void copyRows(int from, int to, int count) {
    rowsMoved += count;
    System.arraycopy(times, from, times, to, count);
    System.arraycopy(arrivals, from, arrivals, to, count);
    System.arraycopy(values, from, values, to, count);
    System.arraycopy(done, from, done, to, count);
    System.arraycopy(sources, from, sources, to, count);
    System.arraycopy(payloads, from, payloads, to, count);
  }

  long rowsMoved() {
    return rowsMoved;
  }

  /** Time of the oldest pending bar, or Long.MAX_VALUE. */
  public long oldestPending() {
    return pendingTimes.isEmpty() ? Long.MAX_VALUE : pendingTimes.first();
  }

  public boolean hasPending() {
    return !pendingTimes.isEmpty();
  }

  /** Indices of the pending bars, oldest first: a snapshot, valid until the next insert or eviction. */
  public int[] pendingIndices() {
    int[] out = new int[pendingTimes.size()];
    int k = 0;
    for (long t : pendingTimes) {
      out[k++] = indexOf(t);
    }
    return out;
  }

  /** Room for at least {@code n} bars; the gap grows by the new slots and stays where it was. */
  private void grow(int n) {
    int cap = Math.max(n, times.length * 2);
    int tail = size - gapStart;
    int from = gapStart + gapLength;
    int to = cap - tail;
    times = regrow(times, new long[cap], from, to, tail);
    arrivals = regrow(arrivals, new long[cap], from, to, tail);
    values = regrow(values, new double[cap][], from, to, tail);
    done = regrow(done, new boolean[cap], from, to, tail);
    sources = regrow(sources, new String[cap], from, to, tail);
    payloads = regrow(payloads, new String[cap], from, to, tail);
    gapLength = cap - size;
  }

  private <A> A regrow(A old, A grown, int tailFrom, int tailTo, int tail) {
    System.arraycopy(old, 0, grown, 0, gapStart);
    System.arraycopy(old, tailFrom, grown, tailTo, tail);
    return grown;
  }

  /** Binary coder for the state backend, packed ({@link Packed}); pending bars keep their source and payload. */
  public static final class Coder extends PackedCoder<KeyHistory> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    protected void put(Packed.Writer out, KeyHistory h) {
      out.putString(h.symbol).putString(h.exchange).putString(h.timeframe.code());
      out.putLong(h.resolvedUpTo).putLong(h.newestSeen).putLong(h.pendingTimerAt).putLong(h.maintenanceAt);
      out.putInt(h.names.size());
      for (String n : h.names) {
        out.putString(n);
      }
      out.putInt(h.size);
      for (int i = 0; i < h.size; i++) {
        int s = h.slot(i);
        out.putLong(h.times[s]).putLong(h.arrivals[s]).putBoolean(h.done[s]);
        double[] row = h.values[s];
        out.putInt(row.length);
        for (double v : row) {
          out.putDouble(v);
        }
        out.putString(h.sources[s]).putString(h.payloads[s]);
      }
      out.putInt(h.routes.size());
      for (RoutedModel r : h.routes) {
        out.putString(r.modelId()).putString(r.registryVersion()).putInt(r.lookback()).putInt(r.features().size());
        for (int j = 0; j < r.features().size(); j++) {
          out.putString(r.features().get(j)).putDouble(r.means()[j]);
        }
      }
    }

    @Override
    protected KeyHistory get(Packed.Reader in) {
      KeyHistory h = new KeyHistory(in.getString(), in.getString(), Timeframe.of(in.getString()));
      h.resolvedUpTo = in.getLong();
      h.newestSeen = in.getLong();
      h.pendingTimerAt = in.getLong();
      h.maintenanceAt = in.getLong();
      int names = in.getInt();
      for (int i = 0; i < names; i++) {
        String n = in.getString();
        h.nameIndex.put(n, i);
        h.names.add(n);
      }
      int size = in.getInt();
      if (size > h.gapLength) {
        h.grow(size);
      }
      for (int i = 0; i < size; i++) {
        h.times[i] = in.getLong();
        h.arrivals[i] = in.getLong();
        h.done[i] = in.getBoolean();
        if (!h.done[i]) {
          h.pendingTimes.add(h.times[i]);
        }
        double[] row = new double[in.getInt()];
        for (int j = 0; j < row.length; j++) {
          row[j] = in.getDouble();
        }
        h.values[i] = row;
        h.sources[i] = in.getString();
        h.payloads[i] = in.getString();
      }
      h.size = size;
      h.gapStart = size;
      h.gapLength = h.times.length - size;
      int routes = in.getInt();
      List<RoutedModel> rs = new ArrayList<>(routes);
      for (int i = 0; i < routes; i++) {
        String id = in.getString();
        String version = in.getString();
        int lookback = in.getInt();
        int n = in.getInt();
        List<String> features = new ArrayList<>(n);
        double[] means = new double[n];
        for (int j = 0; j < n; j++) {
          features.add(in.getString());
          means[j] = in.getDouble();
        }
        rs.add(new RoutedModel(id, version, features, lookback, means));
      }
      h.routes = List.copyOf(rs);
      return h;
    }
  }
}
