package io.vigil.metrics;

import io.vigil.config.VigilConfig;
import io.vigil.control.Commands;
import io.vigil.control.ReloadResult;
import io.vigil.control.ServiceView;
import io.vigil.instance.EventLog;
import io.vigil.instance.InstanceId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Commands that answer {@link #servicesWithSamples()} with whatever the test set, and count the
 * calls. Everything else is unsupported: metrics only read, and always with samples.
 */
final class FakeCommands implements Commands {
  final EventLog events = new EventLog(100);
  final AtomicInteger servicesCalls = new AtomicInteger();
  private volatile Supplier<CompletableFuture<List<ServiceView>>> answer =
      () -> CompletableFuture.completedFuture(List.of());

  FakeCommands answering(ServiceView... services) {
    List<ServiceView> list = List.of(services);
    answer = () -> CompletableFuture.completedFuture(list);
    return this;
  }

  FakeCommands answering(Supplier<CompletableFuture<List<ServiceView>>> answer) {
    this.answer = answer;
    return this;
  }

  @Override
  public CompletableFuture<List<ServiceView>> servicesWithSamples() {
    servicesCalls.incrementAndGet();
    return answer.get();
  }

  @Override
  public CompletableFuture<List<ServiceView>> services() {
    throw new UnsupportedOperationException("metrics read the services with their samples");
  }

  @Override
  public EventLog events() {
    return events;
  }

  @Override
  public CompletableFuture<Void> restartService(String service) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> stopService(String service) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> startService(String service) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> restartInstance(InstanceId id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> stopInstance(InstanceId id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> startInstance(InstanceId id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<ReloadResult> reload(VigilConfig config) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Path> logFiles(InstanceId id) {
    throw new UnsupportedOperationException();
  }
}
