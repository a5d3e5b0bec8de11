// Diagnosis: placeholder until the module lands.
