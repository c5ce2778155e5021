package dev.shardpipe.shardctl;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on the command's error stream, so that stdout keeps only results. */
final class Progress {

  private static final int WIDTH = 100;

  private Progress() {}

  static ProgressBar bar(PrintWriter to, String task, long max, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(Math.max(1, max))
        .setUnit(unit, 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .hideEta()
        .setConsumer(new WriterConsumer(to))
        .build();
  }

  /** Redraws the bar on one line of a writer. */
  private record WriterConsumer(PrintWriter out) implements ProgressBarConsumer {

    @Override
    public int getMaxRenderedLength() {
      return WIDTH;
    }

    @Override
    public void accept(String rendered) {
      out.print('\r');
      out.print(rendered);
      out.flush();
    }

    @Override
    public void close() {
      out.println();
      out.flush();
    }
  }
}
