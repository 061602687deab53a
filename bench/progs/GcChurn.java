/*
 * GcChurn SECONDS IDLE - a JVM whose heap grows and shrinks: for SECONDS
 * seconds it allocates 1 MiB arrays, keeping the last 200 alive, then
 * drops them all and idles IDLE seconds (G1's periodic collection, when
 * enabled, shrinks the heap then).  Prints "ready PID" when it idles and
 * "done" at the end.
 */
public class GcChurn {
    public static void main(String[] args) throws Exception {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        byte[][] live = new byte[200][];
        long n = 0;
        while (System.nanoTime() < end) {
            byte[] b = new byte[1 << 20];
            b[(int) (n % b.length)] = (byte) n;
            live[(int) (n++ % live.length)] = b;
        }
        live = null;
        System.out.println("ready " + ProcessHandle.current().pid() + " " + n);
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]) * 1000L);
        System.out.println("done");
    }
}
