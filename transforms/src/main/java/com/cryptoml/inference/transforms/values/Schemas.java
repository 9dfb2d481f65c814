package com.cryptoml.inference.transforms.values;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;

/** The schema coders of the value classes, as the pipeline's schema registry infers them. */
public final class Schemas {
  private Schemas() {}

  public static <T> SchemaCoder<T> coder(Pipeline pipeline, Class<T> type) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " has no default schema", e);
    }
  }
}
