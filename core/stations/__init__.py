"""Party-mass service stations (党群服务站点), the city's one-stop service catalogue and the
applications residents make at a station."""
