package dev.authsessions.bootstrap;

/** A bad configuration value; the message is one line naming the variable and the problem, never the value of a secret. */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
