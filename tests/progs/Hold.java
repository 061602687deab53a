/*
 * Hold MIB THREADS - a JVM holding MIB MiB in a Java array and THREADS idle
 * threads (beside the JVM's own GC and compiler threads), for memlock
 * run's tests.  Prints "ready PID" and sleeps until killed.
 */
public class Hold {
    public static void main(String[] args) throws Exception {
        byte[] heap = new byte[Integer.parseInt(args[0]) << 20];
        java.util.Arrays.fill(heap, (byte) 0x5a);
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    return;
                }
            });
            t.setDaemon(true);
            t.start();
        }
        System.out.println("ready " + ProcessHandle.current().pid() + " " + heap[heap.length - 1]);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
