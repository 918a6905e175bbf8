package smppgw.store.chronicle;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import smppgw.store.MessageStore;
import smppgw.model.Notification;

/** Reads a client's notification queue from a committed cursor (one per reader name). */
final class ChronicleNotificationReader implements MessageStore.NotificationReader {
    private final ExcerptTailer tailer;
    private final String cursorName;
    private final ChronicleQueueReader.CursorSink sink;
    private long committed = Long.MIN_VALUE;

    ChronicleNotificationReader(ChronicleQueue queue, String cursorName, StateDb db, ChronicleQueueReader.CursorSink sink) {
        this.tailer = queue.createTailer();
        this.cursorName = cursorName;
        this.sink = sink;
        String client = cursorName.substring("notify/".length(), cursorName.lastIndexOf('/'));
        long cursor = Math.max(db.cursor(cursorName), db.cursor(ServedNotifications.FLOOR + client)); // a warm standby's floor
        if (cursor >= 0) {
            Journal.seek(tailer, queue, cursor);
        }
    }

    @Override
    public MessageStore.Indexed next() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            return new MessageStore.Indexed(dc.index(), Codec.read(Journal.remaining(dc), Notification.class));
        }
    }

    @Override
    public void commit(long index) {
        if (index != committed) {
            committed = index;
            sink.commit(cursorName, index);
        }
    }

    @Override
    public long position() {
        return tailer.index();
    }

    @Override
    public void close() {
        tailer.close();
    }
}
