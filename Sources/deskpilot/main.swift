print("deskpilot")
