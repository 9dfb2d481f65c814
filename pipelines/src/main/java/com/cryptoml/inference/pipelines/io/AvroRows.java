package com.cryptoml.inference.pipelines.io;

import java.util.EnumSet;
import java.util.Set;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Beam rows to Avro records of the schema {@link AvroUtils#toAvroSchema} derives, as {@link
 * AvroUtils#toGenericRecord} makes them, for rows of plain fields: strings, numbers, booleans, date-times
 * (timestamp-millis), and lists and maps of those. Values go in as they are (a date-time as its
 * milliseconds), where {@code AvroUtils} looks up each field's Avro type in a map keyed by Avro schemas:
 * a twentieth of a backfill's CPU samples went there. A row of any other shape goes through {@code
 * AvroUtils}.
 */
public final class AvroRows {
  private static final Set<TypeName> AS_IS = EnumSet.of(TypeName.STRING, TypeName.INT32, TypeName.INT64, TypeName.DOUBLE,
      TypeName.FLOAT, TypeName.BOOLEAN);

  private AvroRows() {}

  /** Whether {@link #toRecord} converts rows of {@code schema} itself. */
  public static boolean direct(Schema schema) {
    for (Schema.Field f : schema.getFields()) {
      FieldType t = f.getType();
      boolean ok = switch (t.getTypeName()) {
        case ARRAY, ITERABLE -> AS_IS.contains(t.getCollectionElementType().getTypeName())
            && !t.getCollectionElementType().getNullable();
        case MAP -> t.getMapKeyType().getTypeName() == TypeName.STRING && AS_IS.contains(t.getMapValueType().getTypeName())
            && !t.getMapValueType().getNullable();
        case DATETIME -> true;
        default -> AS_IS.contains(t.getTypeName());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The row as a record of {@code avro}, which must be {@code AvroUtils.toAvroSchema(row.getSchema())}. */
  public static GenericRecord toRecord(Row row, org.apache.avro.Schema avro, boolean direct) {
    if (!direct) {
      return AvroUtils.toGenericRecord(row, avro);
    }
    GenericData.Record record = new GenericData.Record(avro);
    Schema schema = row.getSchema();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Object v = row.getValue(i);
      if (v instanceof ReadableInstant instant) {
        v = instant.getMillis();
      }
      record.put(i, v);
    }
    return record;
  }
}
