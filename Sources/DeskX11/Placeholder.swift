// DeskX11
