package io.vigil.instance;

/** An instance: its service and its index (0-based) within it. Printed as {@code service/index}. */
public record InstanceId(String service, int index) implements Comparable<InstanceId> {
  @Override
  public String toString() {
    return service + "/" + index;
  }

  @Override
  public int compareTo(InstanceId o) {
    int byService = service.compareTo(o.service);
    return byService != 0 ? byService : Integer.compare(index, o.index);
  }
}
