// DeskAgent
