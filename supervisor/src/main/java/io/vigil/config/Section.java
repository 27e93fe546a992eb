package io.vigil.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.vigil.config.Reading.Parsed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One object of the configuration ({@code services.web.restart}, say) being read: typed reads of
 * its keys that report a {@link Problem} at the key's own file and line, or at this object's when
 * the key is missing. A read that fails returns null (or empty) and has always reported why, so a
 * reader only has to check {@link #cleanSince(int)} before building its record.
 */
final class Section {
  private final ConfigObject object;
  private final String path;
  private final Origin origin;
  private final Problems problems;

  Section(ConfigObject object, String path, Origin origin, Problems problems) {
    this.object = object;
    this.path = path;
    this.origin = origin;
    this.problems = problems;
  }

  static String join(String parent, String key) {
    String quoted = ConfigUtil.joinPath(key);
    return parent.isEmpty() ? quoted : parent + "." + quoted;
  }

  ConfigObject object() {
    return object;
  }

  String path() {
    return path;
  }

  Origin origin() {
    return origin;
  }

  String pathOf(String key) {
    return join(path, key);
  }

  /** Set to something other than null. HOCON's {@code key = null} unsets a default. */
  boolean has(String key) {
    ConfigValue value = object.get(key);
    return value != null && value.valueType() != ConfigValueType.NULL;
  }

  /** Keys set to something other than null, in no particular order. */
  List<String> keys() {
    return object.keySet().stream().filter(this::has).toList();
  }

  Origin originOf(String key) {
    return has(key) ? Origins.of(object.get(key).origin()) : origin;
  }

  /** True if the value is Vigil's own default from reference.conf, not something the user wrote. */
  boolean isDefault(String key) {
    return has(key) && object.get(key).origin().resource() != null;
  }

  /** The value as the user wrote it, for messages that compare two settings. */
  String shown(String key) {
    return Readings.shown(object.get(key));
  }

  <T> T required(String key, Reading<T> reading) {
    if (!has(key)) {
      report(key, "is required");
      return null;
    }
    return read(key, reading);
  }

  /** Empty if unset; also empty, with a problem reported, if set to something invalid. */
  <T> Optional<T> optional(String key, Reading<T> reading) {
    return has(key) ? Optional.ofNullable(read(key, reading)) : Optional.empty();
  }

  /**
   * The object at {@code key}; an unset key reads as an empty object, so its required keys are
   * reported missing. Empty only if the value is not an object (reported).
   */
  Optional<Section> child(String key) {
    if (!has(key)) {
      return Optional.of(new Section(ConfigFactory.empty().root(), pathOf(key), origin, problems));
    }
    ConfigValue value = object.get(key);
    if (!(value instanceof ConfigObject child)) {
      report(key, "must be an object" + Readings.got(value));
      return Optional.empty();
    }
    return Optional.of(new Section(child, pathOf(key), originOf(key), problems));
  }

  /** A free-form map of strings such as {@code env}: any keys, each value a string. */
  Map<String, String> stringMap(String key) {
    Map<String, String> map = new LinkedHashMap<>();
    child(key).ifPresent(section -> {
      for (String name : section.keys()) {
        String value = section.required(name, Readings.STRING);
        if (value != null) {
          map.put(name, value);
        }
      }
    });
    return map;
  }

  /** This object with {@code template}'s keys wherever it has none (deeply), as HOCON merges. */
  Section withFallback(ConfigObject template) {
    return new Section(object.withFallback(template), path, origin, problems);
  }

  void report(String key, String message) {
    problems.add(originOf(key), pathOf(key), message);
  }

  void reportHere(String message) {
    problems.add(origin, path, message);
  }

  int mark() {
    return problems.mark();
  }

  boolean cleanSince(int mark) {
    return problems.cleanSince(mark);
  }

  private <T> T read(String key, Reading<T> reading) {
    Parsed<T> parsed = reading.from(object.get(key));
    if (!parsed.ok()) {
      report(key, parsed.error());
    }
    return parsed.value();
  }
}
