package dev.fleetwarden.demo;

import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedded cluster's dispatcher with fault switches: an error status or a delay for all
 * requests, an error status for watch requests only, and dropping the open watch connections.
 */
final class FaultyDispatcher extends EmbeddedApiDispatcher {
  private volatile int forcedStatus;
  private volatile int watchStatus;
  private volatile String forcedPrefix = "";
  private volatile Duration delay = Duration.ZERO;
  private final Set<WebSocket> sockets = ConcurrentHashMap.newKeySet();

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

  /** Answer every watch request with this HTTP status, lists still work (0 turns it off). */
  void forceWatchStatus(int status) {
    this.watchStatus = status;
  }

  /** Closes every open watch connection, as a proxy or a restarting API server would. */
  int dropWatches() {
    int n = 0;
    for (WebSocket ws : List.copyOf(sockets)) {
      sockets.remove(ws);
      ws.close(1001, "dropped by the fault switch");
      n++;
    }
    return n;
  }

  /** Delay every response body by this much (zero turns the fault off). */
  void delay(Duration value) {
    this.delay = value == null ? Duration.ZERO : value;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath() == null ? "" : request.getPath();
    int status = forcedStatus != 0 && path.startsWith(forcedPrefix) ? forcedStatus : 0;
    if (status == 0 && watchStatus != 0 && path.contains("watch=true")) {
      status = watchStatus;
    }
    MockResponse response =
        status != 0
            ? status(status, "forced by the embedded cluster's fault switch")
            : super.dispatch(request);
    WebSocketListener listener = response.getWebSocketListener();
    if (listener != null) {
      response.withWebSocketUpgrade(new Tracked(listener));
    }
    Duration d = delay;
    if (!d.isZero()) {
      response.setBodyDelay(d);
    }
    return response;
  }

  /** Delegates to the server's watch and remembers the connection, so that it can be dropped. */
  private final class Tracked extends WebSocketListener {
    private final WebSocketListener inner;

    Tracked(WebSocketListener inner) {
      this.inner = inner;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response response) {
      inner.onBeforeAccept(ws, response);
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      sockets.add(ws);
      inner.onOpen(ws, response);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      inner.onMessage(ws, text);
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
      inner.onMessage(ws, bytes);
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      inner.onMessage(ws, bytes);
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      sockets.remove(ws);
      inner.onClosing(ws, code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      sockets.remove(ws);
      inner.onClosed(ws, code, reason);
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      sockets.remove(ws);
      inner.onFailure(ws, t, response);
    }
  }
}
