// GatewatchCore: placeholder until the module lands.
