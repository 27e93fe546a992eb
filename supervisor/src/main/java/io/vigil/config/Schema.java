package io.vigil.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which keys may appear where. Checking reports each unknown key with a "did you mean" suggestion;
 * values of the wrong type are left to the readers. Immutable.
 *
 * <pre>{@code
 * Schema stop = Schema.object().leaves("signal", "grace-period");
 * }</pre>
 */
final class Schema {
  private enum Kind { LEAF, FREE, OBJECT, NAMED }

  /** A plain value, or an object read by its own reader. */
  static final Schema LEAF = new Schema(Kind.LEAF, Map.of(), null);
  /** A free-form map such as {@code env}: any key goes. */
  static final Schema FREE = new Schema(Kind.FREE, Map.of(), null);

  private final Kind kind;
  private final Map<String, Schema> keys;
  private final Schema element;

  private Schema(Kind kind, Map<String, Schema> keys, Schema element) {
    this.kind = kind;
    this.keys = keys;
    this.element = element;
  }

  /** An object with a fixed set of keys, added with {@link #with} and {@link #leaves}. */
  static Schema object() {
    return new Schema(Kind.OBJECT, Map.of(), null);
  }

  /** An object whose keys are names the user chose (services), each value checked by {@code element}. */
  static Schema named(Schema element) {
    return new Schema(Kind.NAMED, Map.of(), element);
  }

  Schema with(String key, Schema schema) {
    Map<String, Schema> more = new LinkedHashMap<>(keys);
    more.put(key, schema);
    return new Schema(kind, more, element);
  }

  Schema leaves(String... names) {
    Schema schema = this;
    for (String name : names) {
      schema = schema.with(name, LEAF);
    }
    return schema;
  }

  /** Reports every key under {@code value} (found at {@code path}) that this schema does not allow. */
  void check(ConfigValue value, String path, Problems problems) {
    if (!(value instanceof ConfigObject object)) {
      return;
    }
    // Sorted so that two problems on one line are always reported in the same order.
    for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(object).entrySet()) {
      String childPath = Section.join(path, entry.getKey());
      if (kind == Kind.NAMED) {
        element.check(entry.getValue(), childPath, problems);
      } else if (kind == Kind.OBJECT && !keys.containsKey(entry.getKey())) {
        problems.add(Origins.of(entry.getValue().origin()), childPath,
            DidYouMean.unknownKey(entry.getKey(), keys.keySet()));
      } else if (kind == Kind.OBJECT) {
        keys.get(entry.getKey()).check(entry.getValue(), childPath, problems);
      }
    }
  }
}
