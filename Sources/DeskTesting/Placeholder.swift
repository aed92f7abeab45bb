// DeskTesting
