// DeskConfig
