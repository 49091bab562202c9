package dev.opagent.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka record's value as an {@link EventLine} numbered by its offset and named after its topic
 * and partition, so that a record that is no event is reported by its place. A record without a
 * value (a tombstone) is an empty line, which the parser skips.
 */
final class KafkaLines implements KafkaRecordDeserializationSchema<EventLine> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<EventLine> out) {
    byte[] value = record.value();
    out.collect(
        new EventLine(
            record.topic() + "-" + record.partition(),
            record.offset(),
            value == null ? "" : new String(value, StandardCharsets.UTF_8)));
  }

  @Override
  public TypeInformation<EventLine> getProducedType() {
    return TypeInformation.of(EventLine.class);
  }
}
