package dev.ringbridge.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class or method that needs the sample plugin: skipped, before any set-up or tear-down runs, when the
 * build did not make the plugin because cargo is not on the PATH (the build sets {@code ringbridge.sample.skip}).
 * Tests that only call {@link SamplePlugin} in their body are skipped by its assumption and need no mark.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsSamplePlugin.Condition.class)
public @interface NeedsSamplePlugin
{
    /**
     * Disables the marked tests when the sample plugin was not built.
     */
    final class Condition implements ExecutionCondition
    {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
        {
            return Boolean.getBoolean("ringbridge.sample.skip")
                ? ConditionEvaluationResult.disabled("the sample plugin was not built: cargo is not on the PATH")
                : ConditionEvaluationResult.enabled("the sample plugin was built");
        }
    }
}
