package dev.fleetwarden.demo;

import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;

/** An embedded cluster's dispatcher with fault switches: an error status or a delay for all. */
final class FaultyDispatcher extends EmbeddedApiDispatcher {
  private volatile int forcedStatus;
  private volatile String forcedPrefix = "";
  private volatile Duration delay = Duration.ZERO;

  FaultyDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    super(responses);
  }

  /** Answer every request with this HTTP status (0 turns the fault off). */
  void forceStatus(int status) {
    forceStatus(status, "");
  }

  /** Answer the requests whose path starts with {@code prefix} with this HTTP status. */
  void forceStatus(int status, String prefix) {
    this.forcedPrefix = prefix == null ? "" : prefix;
    this.forcedStatus = status;
  }

  /** Delay every response body by this much (zero turns the fault off). */
  void delay(Duration value) {
    this.delay = value == null ? Duration.ZERO : value;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    int status = forcedStatus;
    String path = request.getPath() == null ? "" : request.getPath();
    MockResponse response =
        status != 0 && path.startsWith(forcedPrefix)
            ? status(status, "forced by the embedded cluster's fault switch")
            : super.dispatch(request);
    Duration d = delay;
    if (!d.isZero()) {
      response.setBodyDelay(d);
    }
    return response;
  }
}
