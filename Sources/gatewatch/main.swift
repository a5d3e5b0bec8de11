print("gatewatch")
