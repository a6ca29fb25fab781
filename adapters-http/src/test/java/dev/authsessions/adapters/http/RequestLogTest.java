package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class RequestLogTest {

    @Test
    void durationsHaveOneDecimalRoundedToTheNearestTenth() {
        assertEquals("0.0", RequestLog.oneDecimal(0f));
        assertEquals("0.0", RequestLog.oneDecimal(0.04f));
        assertEquals("0.1", RequestLog.oneDecimal(0.06f));
        assertEquals("2.0", RequestLog.oneDecimal(1.96f));
        assertEquals("12.3", RequestLog.oneDecimal(12.3f));
        assertEquals("1234.6", RequestLog.oneDecimal(1234.5678f));
    }

    @Test
    void theDecimalSeparatorIsADotInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("8.3", RequestLog.oneDecimal(8.25f));
        } finally {
            Locale.setDefault(before);
        }
    }
}
