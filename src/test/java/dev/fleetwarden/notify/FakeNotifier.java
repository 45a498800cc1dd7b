package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.MessageRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Records every call; queued faults are thrown by the next calls, one each. */
final class FakeNotifier implements Notifier {
  record Call(
      String action, String channel, String ts, String threadTs, String text, String blocks) {}

  final List<Call> calls = new ArrayList<>();
  final Deque<RuntimeException> faults = new ArrayDeque<>();
  private int counter;

  FakeNotifier failWith(RuntimeException... errors) {
    faults.addAll(List.of(errors));
    return this;
  }

  @Override
  public MessageRef post(String channel, String text, String blocks, String threadTs) {
    throwFault();
    counter++;
    MessageRef ref = new MessageRef("C-" + channel.replace("#", ""), "1700000000." + counter);
    calls.add(new Call("post", channel, ref.ts(), threadTs, text, blocks));
    return ref;
  }

  @Override
  public void update(MessageRef message, String text, String blocks) {
    throwFault();
    calls.add(new Call("update", message.channel(), message.ts(), null, text, blocks));
  }

  private void throwFault() {
    if (!faults.isEmpty()) {
      throw faults.poll();
    }
  }

  List<Call> of(String action) {
    return calls.stream().filter(c -> c.action().equals(action)).toList();
  }
}
