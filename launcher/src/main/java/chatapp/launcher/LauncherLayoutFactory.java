package chatapp.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.LayoutFactory;
import org.springframework.boot.loader.tools.Layouts;
import org.springframework.boot.loader.tools.LoaderClassesWriter;

/**
 * spring-boot-maven-plugin's {@code layoutFactory} for the server's executable jar: Spring Boot's
 * jar layout, with {@link Launcher} written at the jar's root beside Spring Boot's loader classes
 * and named as the jar's {@code Main-Class} ({@code Start-Class} stays the configured main class).
 * Spring Boot's supported way to change the loader ("Custom Layout" in the plugin's
 * documentation; docs/decisions, "root-launcher").
 */
public class LauncherLayoutFactory implements LayoutFactory {

    /** Created by the plugin from its configuration. */
    public LauncherLayoutFactory() {
    }

    @Override
    public Layout getLayout(File source) {
        return new RootLauncherLayout();
    }

    /** The executable jar's layout with {@link Launcher} as its main class. */
    static final class RootLauncherLayout extends Layouts.Jar implements CustomLoaderLayout {

        /** The launcher's class file, as the JVM finds it in the jar (no nested classes). */
        static final String LAUNCHER_ENTRY = Launcher.class.getName().replace('.', '/') + ".class";

        @Override
        public String getLauncherClassName() {
            return Launcher.class.getName();
        }

        @Override
        public void writeLoadedClasses(LoaderClassesWriter writer) throws IOException {
            writer.writeLoaderClasses(); // JarLauncher and the rest, as the default layout writes them
            try (InputStream launcher = Launcher.class.getClassLoader().getResourceAsStream(LAUNCHER_ENTRY)) {
                if (launcher == null) {
                    throw new IOException("no " + LAUNCHER_ENTRY + " beside " + getClass().getName());
                }
                writer.writeEntry(LAUNCHER_ENTRY, launcher);
            }
        }
    }
}
