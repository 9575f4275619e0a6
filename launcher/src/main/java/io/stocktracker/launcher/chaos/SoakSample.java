package io.stocktracker.launcher.chaos;

import java.util.Locale;

/** One soak sample of the edge and its surroundings (-1: could not be read). */
record SoakSample(double minutes, String utc, long heapAfterGcBytes, long rssKb, long threads, long fileDescriptors,
                  long redisUsedMemoryBytes, long consumerLag, int clientsSubscribed, long churnJoined, long churnLeft,
                  long duplicates, long lost, String load) {

    static final String CSV_HEADER = "minutes,utc,heap_after_gc_bytes,rss_kb,threads,fds,redis_used_memory_bytes,consumer_lag,"
            + "clients_subscribed,churn_joined,churn_left,duplicates,lost,load";

    String csv() {
        return String.format(Locale.ROOT, "%.2f,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s", minutes, utc, heapAfterGcBytes, rssKb,
                threads, fileDescriptors, redisUsedMemoryBytes, consumerLag, clientsSubscribed, churnJoined, churnLeft,
                duplicates, lost, load);
    }
}
