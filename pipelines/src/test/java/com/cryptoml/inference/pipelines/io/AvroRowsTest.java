package com.cryptoml.inference.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cryptoml.inference.transforms.values.PredictionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class AvroRowsTest {
  static final Schema PLAIN = Schema.builder()
      .addStringField("s").addInt32Field("i").addInt64Field("l").addDoubleField("d").addFloatField("f")
      .addBooleanField("b").addDateTimeField("t")
      .addMapField("m", FieldType.STRING, FieldType.DOUBLE).addArrayField("a", FieldType.STRING)
      .addNullableField("ns", FieldType.STRING).addNullableField("nt", FieldType.DATETIME)
      .addNullableField("nd", FieldType.DOUBLE)
      .build();

  private static GenericRecord roundTrip(GenericRecord record, org.apache.avro.Schema avro) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(avro).write(record, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(avro)
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
  }

  /** Written and read back, a row converted here is the record AvroUtils makes, nulls included. */
  @Test
  void plainRowsBecomeTheRecordsAvroUtilsMakes() throws IOException {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(PLAIN);
    assertTrue(AvroRows.direct(PLAIN));
    for (Row row : List.of(
        Row.withSchema(PLAIN).addValues("a", 1, 2L, 0.5, 1.5f, true, new Instant(1_700_000_000_123L),
            Map.of("long", 0.7, "short", 0.1), List.of("rsi_14", "atr"), "x", new Instant(5L), 2.5).build(),
        Row.withSchema(PLAIN).addValues("", -1, Long.MIN_VALUE, Double.NaN, 0f, false, new Instant(0L),
            Map.of(), List.of(), null, null, null).build())) {
      GenericRecord expected = roundTrip(AvroUtils.toGenericRecord(row, avro), avro);
      assertEquals(expected, roundTrip(AvroRows.toRecord(row, avro, true), avro));
    }
  }

  @Test
  void predictionEventsTakeTheDirectPathAndOtherShapesDoNot() throws Exception {
    assertTrue(AvroRows.direct(SchemaRegistry.createDefault().getSchema(PredictionEvent.class)));
    assertFalse(AvroRows.direct(Schema.builder().addRowField("nested", PLAIN).build()));
    assertFalse(AvroRows.direct(Schema.builder().addByteArrayField("bytes").build()));
    assertFalse(AvroRows.direct(Schema.builder().addArrayField("rows", FieldType.row(PLAIN)).build()));
    assertFalse(AvroRows.direct(Schema.builder().addMapField("m", FieldType.STRING, FieldType.STRING.withNullable(true)).build()));
  }
}
