package io.vigil.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves {@code include "x.conf"} and {@code include file("x.conf")} against the directory of
 * the file that contains the include, and only there. {@code classpath(...)} and {@code url(...)}
 * includes go to typesafe's own includer.
 *
 * <p>Why not typesafe's default: when a relative file is missing it falls back to the classpath,
 * so a missing {@code include required("conf.d/web.conf")} fails with "resource not found on
 * classpath" and no line. Here each file gets its own includer, which knows the including file and
 * can name it and the include's line.
 */
final class FileIncluder implements ConfigIncluder, ConfigIncluderFile {
  private final Path including;
  private final ConfigIncluder fallback;

  FileIncluder(Path including) {
    this(including, null);
  }

  private FileIncluder(Path including, ConfigIncluder fallback) {
    this.including = including;
    this.fallback = fallback;
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this.fallback == fallback ? this : new FileIncluder(including, fallback);
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    return includeFile(context, new File(what));
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    Path target = including.resolveSibling(what.toPath()).normalize();
    ConfigParseOptions options = context.parseOptions().setIncluder(new FileIncluder(target));
    if (!Files.isRegularFile(target)) {
      if (options.getAllowMissing()) {
        return ConfigFactory.empty().root();
      }
      throw new ConfigException.IO(
          ConfigOriginFactory.newFile(including.toString()).withLineNumber(lineOf(what.getPath())),
          "required include '" + what.getPath() + "' not found (looked for " + target + ")");
    }
    return ConfigFactory.parseFile(target.toFile(), options).root();
  }

  /** The line of the include, found by its text: typesafe does not pass it to an includer. */
  private int lineOf(String what) {
    try {
      List<String> lines = Files.readAllLines(including);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("include") && lines.get(i).contains("\"" + what + "\"")) {
          return i + 1;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the including file was readable a moment ago; without a line the report still names it
    }
    return 1;
  }
}
