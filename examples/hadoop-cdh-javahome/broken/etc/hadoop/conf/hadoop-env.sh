# Hadoop 2.x environment for the daemons of this CDH node.
# Sourced by hadoop-config.sh on every start path: init scripts, start-dfs.sh over ssh, cron.

# The java implementation to use.
export JAVA_HOME=${JAVA_HOME}

export HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-"/etc/hadoop/conf"}

# Extra Java runtime options.
export HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"
export HADOOP_NAMENODE_OPTS="-Xmx4g -Dhadoop.security.logger=INFO,RFAS $HADOOP_NAMENODE_OPTS"
export HADOOP_DATANODE_OPTS="-Dhadoop.security.logger=ERROR,RFAS $HADOOP_DATANODE_OPTS"

export HADOOP_LOG_DIR=/var/log/hadoop/$USER
export HADOOP_PID_DIR=/var/run/hadoop
export HADOOP_IDENT_STRING=$USER
