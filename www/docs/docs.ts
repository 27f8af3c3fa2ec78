// The docs page: its examples are <octane-query> elements.
import "octane-kit/embed";
