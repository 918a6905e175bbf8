package smppgw.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import smppgw.smpp.OperatorBinds;

/** Parts waiting for their next attempt, in the order they are due; the dispatcher thread's alone. */
final class Retries {
    private final PriorityQueue<Flight> heap = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));

    void add(Flight f) {
        heap.add(f);
    }

    int size() {
        return heap.size();
    }

    Flight peek() {
        return heap.peek();
    }

    /**
     * The next retry that is due and still needed: one a late answer settled meanwhile is dropped; one after an attempt
     * whose outcome is unknown waits until a bind has been heard from since (it would otherwise go into a connection
     * that may be frozen, and the SMSC could end up with it several times).
     */
    Flight due(long now, OperatorBinds binds) {
        List<Flight> notYet = null;
        Flight found = null;
        for (Flight head = heap.peek(); head != null && head.dueAt <= now; head = heap.peek()) {
            Flight f = heap.poll();
            if (f.fate.settled()) {
                continue;
            }
            if (f.unknownSince >= 0 && !binds.heardSince(f.unknownSince)) {
                (notYet == null ? notYet = new ArrayList<>() : notYet).add(f.at(now + 20));
                continue;
            }
            found = f;
            break;
        }
        if (notYet != null) {
            heap.addAll(notYet);
        }
        return found;
    }
}
