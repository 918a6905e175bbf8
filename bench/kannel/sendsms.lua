counter = 0
request = function()
  counter = counter + 1
  local to = string.format("336%08d", (counter * 7919 + math.random(0, 99999999)) % 100000000)
  return wrk.format("GET", "/cgi-bin/sendsms?username=tester&password=foobar&from=BENCH&to=" .. to
    .. "&text=Bonjour%2C+votre+code+est+" .. counter .. "&dlr-mask=3&dlr-url=http%3A%2F%2F127.0.0.1%3A13080%2Fdlr%3Fs%3D%25d")
end
