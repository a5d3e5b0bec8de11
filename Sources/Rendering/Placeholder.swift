// Rendering: placeholder until the module lands.
