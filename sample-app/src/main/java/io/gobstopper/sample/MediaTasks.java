package io.gobstopper.sample;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Media processing: several steps, each reported as progress. */
@Component
public class MediaTasks {

    private static final List<String> STEPS = List.of("downloading", "decoding", "resizing", "encoding", "uploading");

    @BackgroundTask(name = "process_image", category = "media", exposed = true)
    public Map<String, Object> processImage(String url, int width, TaskContext context) throws InterruptedException {
        for (int step = 0; step < STEPS.size(); step++) {
            context.reportProgress(step * 100 / STEPS.size(), STEPS.get(step) + " " + url);
            TimeUnit.MILLISECONDS.sleep(300); // stands in for real work
        }
        return Map.of("url", url, "width", width, "thumbnail", url.replaceAll("\\.(\\w+)$", "_" + width + ".$1"));
    }
}
