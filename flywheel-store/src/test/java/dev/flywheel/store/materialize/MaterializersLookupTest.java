package dev.flywheel.store.materialize;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.spi.Materializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaterializersLookupTest {
    interface Shape {
    }

    static class Circle implements Shape {
    }

    static class UnitCircle extends Circle {
    }

    record Square(double side) implements Shape {
    }

    /** A user materializer for any type, writing nothing meaningful; only lookup is under test. */
    record Fixed<T>(Class<T> type, String format) implements Materializer<T> {
        @Override
        public void write(T value, OutputStream out) {
        }

        @Override
        public T read(InputStream in, Class<? extends T> t) {
            return null;
        }
    }

    @Test
    void builtInFormatNamesAreStable() {
        Materializers m = Materializers.builtInOnly();
        assertThat(m.forType(String.class).format()).isEqualTo("text");
        assertThat(m.forType(Double.class).format()).isEqualTo("json-scalar");
        assertThat(m.forType(byte[].class).format()).isEqualTo("bytes");
        assertThat(m.forType(Table.class).format()).isEqualTo("table-v1");
        assertThat(m.forType(Model.class).format()).isEqualTo("model-v1");
        assertThat(m.forType(Square.class).format()).isEqualTo("json");
    }

    @Test
    void nearestSuperclassOrInterfaceWins() {
        Fixed<Shape> shapes = new Fixed<>(Shape.class, "shape");
        Fixed<Circle> circles = new Fixed<>(Circle.class, "circle");
        Materializers m = Materializers.of(List.of(shapes, circles));
        assertThat(m.forType(UnitCircle.class)).isSameAs(circles);
        assertThat(m.forType(Circle.class)).isSameAs(circles);
        assertThat(m.forType(Square.class)).as("an interface match beats the json fallback").isSameAs(shapes);
    }

    @Test
    void userMaterializerWinsOverBuiltInForTheSameType() {
        Fixed<Table> parquet = new Fixed<>(Table.class, "parquet");
        Materializers m = Materializers.of(List.of(parquet));
        assertThat(m.forType(Table.class)).isSameAs(parquet);
        assertThat(m.forArtifact("table-v1", Table.class).format()).as("old artifacts stay readable").isEqualTo("table-v1");
    }

    @Test
    void serviceLoadedUserMaterializerWins() throws IOException {
        Materializers m = Materializers.standard(getClass().getClassLoader());
        Materializer<? super String> text = m.forType(String.class);
        assertThat(text).isInstanceOf(ShoutingTextMaterializer.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.write("hi", out);
        assertThat(out.toString()).isEqualTo("!hi");
        Object back = m.forArtifact("test-shout", String.class).read(new ByteArrayInputStream(out.toByteArray()), String.class);
        assertThat(back).isEqualTo("hi");
    }

    @Test
    void typeWithoutMaterializerNamesTheTypeAndHowToRegisterOne() {
        Materializers m = Materializers.builtInOnly();
        assertThatThrownBy(() -> m.forType(Thread.class))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("no materializer for type java.lang.Thread")
                .hasMessageContaining("register a Materializer<Thread>")
                .hasMessageContaining("META-INF/services/dev.flywheel.sdk.spi.Materializer");
        assertThatThrownBy(() -> m.forType(HashMap.class)).hasMessageContaining("declare the step's output as List<X>");
        assertThatThrownBy(() -> m.forType(Shape.class)).hasMessageContaining("MaterializersLookupTest$Shape");
    }

    @Test
    void unknownFormatListsTheKnownOnes() {
        assertThatThrownBy(() -> Materializers.builtInOnly().forArtifact("parquet", Table.class))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no materializer reads format 'parquet'")
                .hasMessageContaining("[text, json-scalar, bytes, array-v1, table-v1, model-v1, json]");
    }

    @Test
    void forArtifactPicksTheMaterializerOfThatFormatForTheType() {
        Materializers m = Materializers.builtInOnly();
        assertThat(m.forArtifact("json-scalar", Long.class).type()).isEqualTo(Long.class);
        assertThat(m.forArtifact("json", Square.class).format()).isEqualTo("json");
        assertThatThrownBy(() -> m.forArtifact("table-v1", String.class)).hasMessageContaining("as java.lang.String");
    }

    @Test
    void brokenUserMaterializerIsRejectedWithItsClass() {
        assertThatThrownBy(() -> Materializers.of(List.of(new Fixed<>(String.class, " "))))
                .hasMessageContaining("Fixed has no format()");
    }
}
