package com.cryptoml.inference.devtools.bench;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The benchmark's options, declared once: the defaults are the full run's; {@code --quick} replaces
 * those marked "(--quick: ...)" unless they are given ({@link BenchMain#QUICK}). {@code ./inference
 * bench --help} prints them from here.
 */
@Description("Benchmark")
public interface BenchOptions extends PipelineOptions {
  @Description("About 5 minutes on a 2-core machine: the figures and targets of docs/benchmarks.md")
  @Default.Boolean(false)
  boolean getQuick();

  void setQuick(boolean value);

  @Description("Sections to run, comma-separated: raw, batch, stream, startup, memory, demo"
      + " (--quick: raw,batch,stream,startup,demo)")
  @Default.String("raw,batch,stream,startup,memory,demo")
  String getSections();

  void setSections(String value);

  @Description("Batch sizes of the raw predictor (--quick: 32)")
  @Default.String("1,8,32,128")
  String getRawBatches();

  void setRawBatches(String value);

  @Description("Seconds the raw predictor runs per batch size")
  @Default.Double(5)
  double getRawSeconds();

  void setRawSeconds(double value);

  @Description("The backfill's 1m history, generated on first use"
      + " (--quick: testdata/target/large-200k/features-1m-large.parquet)")
  @Default.String("testdata/target/large/features-1m-large.parquet")
  String getLargeInput();

  void setLargeInput(String value);

  @Description("Events/s offered to the platform's stream (--quick: 1000,10000)")
  @Default.String("1000,5000,10000")
  String getRates();

  void setRates(String value);

  @Description("Events/s offered to the hand-written loop and the plain pipeline; empty: the same as --rates"
      + " (--quick: 1000)")
  @Default.String("")
  String getFloorRates();

  void setFloorRates(String value);

  @Description("Seconds measured at each rate (--quick: 20)")
  @Default.Integer(30)
  int getRateSeconds();

  void setRateSeconds(int value);

  @Description("Seconds at each rate before measuring (--quick: 10)")
  @Default.Integer(0)
  int getWarmupSeconds();

  void setWarmupSeconds(int value);

  @Description("Seconds to wait for the last predictions after sending stops (--quick: 20)")
  @Default.Integer(60)
  int getDrainSeconds();

  void setDrainSeconds(int value);

  @Description("A new stream pipeline for each rate (--quick: false)")
  @Default.Boolean(true)
  boolean getFreshPerRate();

  void setFreshPerRate(boolean value);

  @Description("Also an as-fast-as-it-goes stream run (--quick: false)")
  @Default.Boolean(true)
  boolean getMax();

  void setMax(boolean value);

  @Description("Sources of the plain Beam stream: kafkaio, batched (--quick: batched)")
  @Default.String("kafkaio,batched")
  String getPlainSources();

  void setPlainSources(String value);

  @Description("Seconds of the demo's measured replay (--quick: 30)")
  @Default.Integer(30)
  int getDemoSeconds();

  void setDemoSeconds(int value);

  @Description("Minutes of the memory section's stream")
  @Default.Integer(10)
  int getMemoryMinutes();

  void setMemoryMinutes(int value);

  @Description("Events/s of the memory section's stream")
  @Default.Integer(1000)
  int getMemoryRate();

  void setMemoryRate(int value);

  @Description("Folder for results.json, the broker and the model cache")
  @Default.String("runs/bench")
  String getWork();

  void setWork(String value);

  // No @Default: the pipelines' options declare --registry too, and Beam wants one default or none.
  @Description("The model registry (default " + BenchMain.REGISTRY + ")")
  String getRegistry();

  void setRegistry(String value);

  @Description("Symbols of the stream load, each on three exchanges")
  @Default.Integer(3)
  int getLoadSymbols();

  void setLoadSymbols(int value);

  @Description("The platform's quality step (drift, outcomes, accuracy) in the stream")
  @Default.Boolean(true)
  boolean getQuality();

  void setQuality(boolean value);

  @Description("More pipeline options for the platform's stream, backfill and startup, separated by ';',"
      + " e.g. --directAdaptations=-packs;--stateShards=4")
  @Default.String("")
  String getPipelineArgs();

  void setPipelineArgs(String value);

  @Description("JVM options of the fresh JVMs of startup and the demo, e.g. a JFR recording")
  @Default.String("")
  String getChildJavaOptions();

  void setChildJavaOptions(String value);

  @Description("Run the hand-written programs (false skips them)")
  @Default.Boolean(true)
  boolean getHand();

  void setHand(boolean value);

  @Description("Run the plain Beam pipelines (false skips them)")
  @Default.Boolean(true)
  boolean getPlain();

  void setPlain(boolean value);

  @Description("Run the platform's stream (false skips it)")
  @Default.Boolean(true)
  boolean getOurs();

  void setOurs(boolean value);

  @Description("Skip a program's higher rates once it misses one")
  @Default.Boolean(true)
  boolean getSkipAfterMiss();

  void setSkipAfterMiss(boolean value);

  @Description("Pass-through steps added to the plain Beam stream pipeline, to price a step")
  @Default.Integer(0)
  int getPlainPassThrough();

  void setPlainPassThrough(int value);
}
