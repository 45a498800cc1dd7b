package dev.fleetwarden.demo;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * A watch's WebSocket listener whose {@code onClosed} runs on a thread of its own. The CRUD mock's
 * listener waits there (up to a minute) for its event sender to finish, on the server's event loop,
 * which that sender needs: when a client closes watches while their first events are still being
 * sent (fleetwarden stopping right after it started watching), the embedded cluster froze.
 *
 * <p>Before the mock's listener shuts its sender down, the watch is taken off the list of watches
 * writes notify ({@code forget}): a write notifying it after that failed (500, though it was
 * stored) and its event never reached the watches after it in the list.
 */
final class ClosingOffLoop extends WebSocketListener {
  private final WebSocketListener inner;
  private final Runnable forget;

  /**
   * @param forget takes the watch off the list of watches writes notify
   */
  ClosingOffLoop(WebSocketListener inner, Runnable forget) {
    this.inner = inner;
    this.forget = forget;
  }

  @Override
  public void onBeforeAccept(WebSocket ws, Response response) {
    inner.onBeforeAccept(ws, response);
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
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
    forget.run();
    inner.onClosing(ws, code, reason);
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    forget.run();
    Thread t = new Thread(() -> inner.onClosed(ws, code, reason), "embedded-watch-closed");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    forget.run();
    inner.onFailure(ws, t, response);
  }
}
