package smppgw.config;

/** A listen or connect address. */
public record HostPort(String host, int port) {
    /** Parses {@code host:port}; null if it is not one. */
    public static HostPort parse(String s) {
        if (s == null) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return null;
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            return port < 0 || port > 65535 || host.isBlank() ? null : new HostPort(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
