/**
 * Everything that exists only because of the Direct runner, the runner of laptops, the demo and the
 * tests. {@link com.cryptoml.inference.runners.direct.DirectRunnerAdaptations} replaces stock steps of
 * the built pipeline with the classes here (a batched Kafka read with per-bundle offset commits, state
 * under a few shard keys, batches formed within bundles, packed groupings, a row-group Parquet read)
 * and runs the holds janitor beside a stream; {@code --directAdaptations} selects them.
 *
 * <p>Used only when {@code --runner} is the Direct runner ({@code ./inference} and the tests). On
 * Dataflow or any other runner nothing here is applied: the pipeline reads through
 * {@code KafkaIO.read()}, keys each series on its own and groups with Beam's transforms, as built by
 * the {@code pipelines} module. The shared transforms never import this package. Why each class
 * exists and what it buys: docs/decisions/direct-runner-adaptations.md.
 */
package com.cryptoml.inference.runners.direct;
