package dev.flywheel.engine.run;

import dev.flywheel.sdk.internal.StepSignature;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One call of a step method: a fresh instance, its output captured, and an optional time limit. */
final class StepInvocation {
    private StepInvocation() {
    }

    /** A step attempt that threw, timed out or could not be instantiated; the message is for the user. */
    static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Object invoke(StepSignature signature, Object[] args, Duration timeout, StepLog log) throws StepFailure {
        if (timeout == null) {
            return captured(signature, args, log);
        }
        FutureTask<Object> task = new FutureTask<>(() -> captured(signature, args, log));
        Thread worker = new Thread(task, "flywheel-step-" + signature.stepClass().getSimpleName());
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new StepFailure("timed out after " + timeout.toMillis() + " ms (the step's timeout); the step was interrupted", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StepFailure f) {
                throw f;
            }
            throw new StepFailure(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while waiting for the step", e);
        }
    }

    private static Object captured(StepSignature signature, Object[] args, StepLog log) throws StepFailure {
        OutputCapture.begin(log);
        try {
            Object instance = signature.stepClass().getDeclaredConstructor().newInstance();
            return signature.method().invoke(instance, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new StepFailure(describe(cause), cause);
        } catch (ReflectiveOperationException e) {
            throw new StepFailure("cannot create " + signature.stepClass().getName() + ": " + describe(e), e);
        } finally {
            System.out.flush();
            System.err.flush();
            OutputCapture.end();
        }
    }

    static Object output(StepSignature signature, StepSignature.Port port, Object result) throws StepFailure {
        if (!signature.multipleOutputs()) {
            return result;
        }
        if (result == null) {
            return null;
        }
        try {
            return port.accessor().invoke(result);
        } catch (ReflectiveOperationException e) {
            throw new StepFailure("cannot read output '" + port.name() + "': " + describe(e), e);
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
