package com.cryptoml.inference.transforms.coders;

import com.cryptoml.inference.transforms.config.Runners;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The schema coder Beam would infer for a {@code @DefaultSchema} value class (same schema, same
 * encoding, still schema-aware), whose Java serialisation is the class alone: it is rebuilt from the
 * class's schema on deserialisation, once per class and JVM. Beam's own serialises the schema and the
 * generated conversion functions, 2.5 to 6.5 KB and 40 to 125 us each time, and the Direct runner
 * serialises every coder of a step's inputs and outputs for each bundle the step runs.
 *
 * <p>For one JVM only, hence the Direct runner only ({@link #of(Pipeline, Class)}): a schema inferred
 * from a class orders its fields as reflection lists the getters, which may differ from one JVM to the
 * next, so across workers (Dataflow) the schema must travel with the coder, as Beam's does.
 */
public final class CompactSchemaCoder<T> extends SchemaCoder<T> {
  private static final Map<Class<?>, CompactSchemaCoder<?>> BY_CLASS = new ConcurrentHashMap<>();

  private CompactSchemaCoder(SchemaRegistry registry, TypeDescriptor<T> descriptor) throws NoSuchSchemaException {
    super(registry.getSchema(descriptor), descriptor, registry.getToRowFunction(descriptor), registry.getFromRowFunction(descriptor));
  }

  /**
   * The schema coder for {@code type} in {@code pipeline}: this one on the Direct runner, Beam's own
   * on any other runner.
   */
  public static <T> SchemaCoder<T> of(Pipeline pipeline, Class<T> type) {
    if (Runners.isDirect(pipeline.getOptions())) {
      return of(type);
    }
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " has no default schema", e);
    }
  }

  /** The coder of {@code type}, which must have a default schema; one JVM only (see above). */
  @SuppressWarnings("unchecked")
  public static <T> CompactSchemaCoder<T> of(Class<T> type) {
    return (CompactSchemaCoder<T>) BY_CLASS.computeIfAbsent(type, CompactSchemaCoder::create);
  }

  private static <T> CompactSchemaCoder<T> create(Class<T> type) {
    try {
      return new CompactSchemaCoder<>(SchemaRegistry.createDefault(), TypeDescriptor.of(type));
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " has no default schema", e);
    }
  }

  /** The value class: one coder per class, so the class is its identity. */
  private Class<? super T> type() {
    return getEncodedTypeDescriptor().getRawType();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompactSchemaCoder<?> c && c.type().equals(type());
  }

  @Override
  public int hashCode() {
    return type().hashCode();
  }

  private Object writeReplace() {
    return new Serialized(type());
  }

  /** What is serialised: the value class. */
  private record Serialized(Class<?> type) implements Serializable {
    private Object readResolve() {
      return of(type);
    }
  }
}
