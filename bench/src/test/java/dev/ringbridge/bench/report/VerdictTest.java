package dev.ringbridge.bench.report;

import dev.ringbridge.bench.scenario.Spread;
import org.junit.jupiter.api.Test;

import static dev.ringbridge.bench.report.Verdict.Outcome.MET;
import static dev.ringbridge.bench.report.Verdict.Outcome.MISSED;
import static dev.ringbridge.bench.report.Verdict.Outcome.TIE;
import static org.junit.jupiter.api.Assertions.assertEquals;

class VerdictTest
{
    @Test
    void shouldMeetATargetOnlyWhenEveryPassMeetsIt()
    {
        assertEquals(MET, Verdict.judge(1.5, spread(1.4, 1.5, 1.6), 1.3, true));
        assertEquals(MET, Verdict.judge(20, spread(10, 20, 30), 30, false), "a bound reached exactly is met");
    }

    @Test
    void shouldCallATieWhenTheBoundLiesWithinThePassesSpread()
    {
        assertEquals(TIE, Verdict.judge(1.35, spread(1.2, 1.35, 1.5), 1.3, true), "the merged ratio alone would say met");
        assertEquals(TIE, Verdict.judge(1.25, spread(1.2, 1.25, 1.31), 1.3, true), "the merged ratio alone would say missed");
        assertEquals(TIE, Verdict.judge(0.45, spread(0.4, 0.45, 0.6), 0.5, false));
    }

    @Test
    void shouldMissATargetWhenNoPassMeetsIt()
    {
        assertEquals(MISSED, Verdict.judge(1.1, spread(1.0, 1.1, 1.2), 1.3, true));
        assertEquals(MISSED, Verdict.judge(45, spread(40, 45, 50), 30, false));
    }

    @Test
    void shouldJudgeASinglePassByItsOwnFigure()
    {
        final Spread onePass = Spread.of(new double[] {1.3});
        assertEquals(MET, Verdict.judge(1.3, onePass, 1.3, true));
        assertEquals(MISSED, Verdict.judge(1.29, Spread.of(new double[] {1.29}), 1.3, true));
    }

    private static Spread spread(final double... values)
    {
        return Spread.of(values);
    }
}
